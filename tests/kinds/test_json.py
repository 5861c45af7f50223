from __future__ import annotations

import itertools
import json
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders.errors import ConfigError
from graders.kinds.json_kind import assignment_max

PERSON = {"type": "object", "required": ["name", "age"],
          "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "tags": {"type": "array"}}}
ITEM = {"name": "Ann Lee", "age": 36, "tags": ["red", "green", "blue"]}


def run(node: dict, outputs: list[str], item: dict | None = None):
    g = graders.from_dict({"type": "json", **node})
    return g.score(outputs, [item if item is not None else ITEM] * len(outputs))


def kinds(res, i: int) -> list[str]:
    return [e.kind for e in res.errors[i]]


def fields(order: str = "exact", **weights: float) -> dict:
    out = {
        "name": {"type": "exact", "reference": "{{ item.name }}"},
        "age": {"type": "numeric", "reference": "{{ item.age }}"},
        "tags": {"type": "exact", "reference": "{{ item.tags }}"},
    }
    for k, w in weights.items():
        out[k]["weight"] = w
    return {"fields": out, "order": order}


# -- parsing -------------------------------------------------------------------------------------
def test_no_fields_scores_one_for_json_zero_otherwise() -> None:
    res = run({}, ['{"a": 1}', "[1, 2]", "not json", "", "   ", '{"a": 1', "{'a': 1}"])
    assert res.scores.tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert res.status.tolist() == [0] * 7  # a model mistake is a scored 0, not a grader error
    assert kinds(res, 2) == ["model_invalid_json"] and "line 1 column 1" in res.errors[2][0].message
    assert not res.errors[0]


def test_fenced_block_with_prose_uses_the_last_block() -> None:
    text = 'Sure! Draft:\n```json\n{"a": 0}\n```\nFinal:\n```json\n{"name": "Ann Lee", "age": 36, "tags": []}\n```\nDone.'
    res = run({"schema": PERSON, "fields": {"name": {"type": "exact", "reference": "{{ item.name }}"}}}, [text])
    assert res.scores.tolist() == [1.0]
    bare = run({}, ["```\n[1, 2]\n```", "```json\n{bad}\n```"])
    assert bare.scores.tolist() == [1.0, 0.0]
    assert "last fenced block" in bare.errors[1][0].message


def test_unfenced_json_inside_prose_is_not_json() -> None:
    res = run({}, ['The answer is {"a": 1}.'])
    assert res.scores.tolist() == [0.0] and kinds(res, 0) == ["model_invalid_json"]


def test_nan_infinity_and_oversized_ints_are_not_json() -> None:
    res = run({}, ['{"a": NaN}', "[Infinity]", "1" * 5000, '{"a": ' + "9" * 4400 + "}"])
    assert res.scores.tolist() == [0, 0, 0, 0]
    assert all(kinds(res, i) == ["model_invalid_json"] for i in range(4))


def test_size_and_depth_bounds_give_reasons_not_crashes() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    medium = "[" * 100 + "]" * 100
    res = run({"max_depth": 64, "max_chars": 150_000}, [deep, medium, '"' + "x" * 200_000 + '"', "[[1]]"])
    assert res.scores.tolist() == [0, 0, 0, 1]
    assert kinds(res, 0) == ["model_output_too_large"]  # too long for max_chars
    assert kinds(res, 1) == ["model_output_too_large"] and "max_depth=64" in res.errors[1][0].message
    deep_ok = run({"max_chars": 10_000_000}, [deep])
    assert deep_ok.scores.tolist() == [0.0] and kinds(deep_ok, 0) == ["model_output_too_large"]  # RecursionError


# -- schema --------------------------------------------------------------------------------------
def test_type_mismatch_fails_the_schema() -> None:
    res = run({"schema": PERSON, **fields()}, ['{"name": "Ann Lee", "age": "36", "tags": ["red", "green", "blue"]}',
                                               '{"name": "Ann Lee", "age": 36, "tags": ["red", "green", "blue"]}'])
    assert res.scores.tolist() == [0.0, 1.0]
    assert kinds(res, 0) == ["model_schema_violation"]
    assert "'36' is not of type 'integer'" in res.errors[0][0].message and "age" in res.errors[0][0].message


def test_without_schema_a_string_number_reaches_the_field_grader_as_text() -> None:
    res = run({"fields": {"age": {"type": "exact", "reference": "{{ item.age }}"}}}, ['{"age": "36"}', '{"age": 36}'])
    assert res.scores.tolist() == [1.0, 1.0]


def test_extra_fields_allowed_unless_schema_forbids() -> None:
    doc = '{"name": "Ann Lee", "age": 36, "tags": ["red", "green", "blue"], "extra": true}'
    assert run({"schema": PERSON, **fields()}, [doc]).scores.tolist() == [1.0]
    strict = {**PERSON, "additionalProperties": False}
    res = run({"schema": strict, **fields()}, [doc])
    assert res.scores.tolist() == [0.0] and "extra" in res.errors[0][0].message


def test_schema_from_the_item_and_a_bad_item_schema_is_a_row_error() -> None:
    items = [{"schema": PERSON, "name": "Ann Lee"}, {"schema": json.dumps(PERSON), "name": "Ann Lee"},
             {"schema": {"type": 12}, "name": "Ann Lee"}, {"name": "Ann Lee"}]
    g = graders.from_dict({"type": "json", "schema": "{{ item.schema }}",
                           "fields": {"name": {"type": "exact", "reference": "{{ item.name }}"}}})
    res = g.score(['{"name": "Ann Lee", "age": 1}'] * 4, items)
    assert res.scores.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert res.status.tolist() == [0, 0, 2, 2]
    assert kinds(res, 2) == ["bad_schema"] and kinds(res, 3) == ["missing_field"]


def test_invalid_inline_schema_is_a_located_config_error() -> None:
    text = "grader:\n  type: json\n  schema:\n    type: object\n    properties:\n      age: {type: integr}\n"
    with pytest.raises(ConfigError) as ei:
        graders.from_yaml(text, filename="g.yaml")
    msg = str(ei.value)
    assert "g.yaml:4" in msg and "grader.schema" in msg and "not a valid JSON Schema" in msg
    assert "properties/age/type" in msg


def test_bad_field_path_and_unknown_weight_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="not a JSON path"):
        graders.from_dict({"type": "json", "fields": {"a..b": {"type": "exact", "reference": "x"}}})
    with pytest.raises(ConfigError, match="unknown fields"):
        graders.from_dict({"type": "json", "weights": {"zz": 1},
                           "fields": {"a": {"type": "exact", "reference": "x"}}})
    with pytest.raises(ConfigError, match="order: any"):
        graders.from_dict({"type": "json", "order": "any",
                           "fields": {"a": {"type": "max", "graders": {"x": {"type": "exact", "reference": "x"}}}}})


# -- fields: partial credit ----------------------------------------------------------------------
def test_weighted_mean_of_fields_by_hand() -> None:
    node = fields(name=3, age=1, tags=0)
    # name right (3), age wrong (1), tags ignored (0): 3 / 4
    res = run(node, ['{"name": "Ann Lee", "age": 35, "tags": []}'])
    assert res.scores.tolist() == [0.75]
    assert res.components["name"].tolist() == [1.0] and res.components["age"].tolist() == [0.0]


def test_missing_field_scores_zero_with_a_reason() -> None:
    res = run(fields(), ['{"name": "Ann Lee", "tags": ["red", "green", "blue"]}'])
    assert res.scores.tolist() == [pytest.approx(2 / 3)]
    assert res.status.tolist() == [0]
    assert kinds(res, 0) == ["model_missing_field"] and "'age'" in res.errors[0][0].message
    assert res.components["age"].tolist() == [0.0]


def test_nested_paths_and_whole_document() -> None:
    node = {"fields": {"user.address.city": {"type": "exact", "reference": "{{ item.city }}"},
                       "$.items[1].sku": {"type": "exact", "reference": "B2"},
                       "$": {"type": "regex", "pattern": "\"sku\""}}}
    doc = '{"user": {"address": {"city": "Oslo"}}, "items": [{"sku": "A1"}, {"sku": "B2"}]}'
    res = run(node, [doc, '{"user": {"address": {}}, "items": []}'], {"city": "Oslo"})
    assert res.scores.tolist() == [1.0, 0.0]
    assert kinds(res, 1) == ["model_missing_field", "model_missing_field"]


def test_field_values_are_rendered_like_templates() -> None:
    # objects and lists reach the child as compact JSON, as `{{ item.x }}` renders them
    node = {"fields": {"meta": {"type": "exact", "reference": "{{ item.meta }}"},
                       "flag": {"type": "exact", "reference": "{{ item.flag }}"}}}
    res = run(node, ['{"meta": {"k": [1, 2]}, "flag": true}'], {"meta": {"k": [1, 2]}, "flag": True})
    assert res.scores.tolist() == [1.0]


def test_field_grader_errors_follow_on_error() -> None:
    node = {"fields": {"name": {"type": "exact", "reference": "{{ item.nope }}"}}}
    res = run(node, ['{"name": "x"}'])
    assert res.status.tolist() == [2] and kinds(res, 0) == ["missing_field"]


# -- lists: order exact / any --------------------------------------------------------------------
def test_order_exact_compares_the_list_as_one_value() -> None:
    node = {"fields": {"tags": {"type": "exact", "reference": "{{ item.tags }}"}}}
    res = run(node, ['{"tags": ["red", "green", "blue"]}', '{"tags": ["blue", "green", "red"]}'])
    assert res.scores.tolist() == [1.0, 0.0]


def test_order_any_is_a_one_to_one_matching() -> None:
    node = {"order": "any", "fields": {"tags": {"type": "exact", "reference": "{{ item.tags }}"}}}
    outs = ['{"tags": ["blue", "green", "red"]}',   # permutation: 3/3
            '{"tags": ["red", "red", "red"]}',       # each expected element matched at most once: 1/3
            '{"tags": ["red", "green"]}',             # one missing: 2/3
            '{"tags": ["red", "green", "blue", "pink"]}',  # one extra: 3/4
            '{"tags": []}',                           # nothing: 0
            '{"tags": "red"}']                        # not a list: graded as one value -> 0
    res = run(node, outs)
    assert res.scores.tolist() == pytest.approx([1, 1 / 3, 2 / 3, 3 / 4, 0, 0])
    empty = run(node, ['{"tags": []}'], {"tags": []})
    assert empty.scores.tolist() == [1.0]


def test_order_any_with_partial_credit_elements_takes_the_best_assignment() -> None:
    node = {"order": "any", "fields": {"names": {"type": "fuzzy", "reference": "{{ item.names }}"}}}
    res = run(node, ['{"names": ["Jon Doe", "Ann Lee"]}'], {"names": ["Ann Lee", "John Doe"]})
    assert res.scores.tolist() == [pytest.approx((1.0 + 14 / 15) / 2)]


def test_order_any_bounded_by_max_pairs() -> None:
    node = {"order": "any", "max_pairs": 4, "fields": {"tags": {"type": "exact", "reference": "{{ item.tags }}"}}}
    res = run(node, ['{"tags": ["red", "green", "blue"]}'])
    assert res.scores.tolist() == [0.0] and kinds(res, 0) == ["model_output_too_large"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(0, 1), min_size=1, max_size=5), min_size=1, max_size=5))
def test_assignment_matches_brute_force(rows: list[list[float]]) -> None:
    width = min(len(r) for r in rows)
    mat = np.array([r[:width] for r in rows])
    n_r, n_c = mat.shape
    if n_r <= n_c:
        best = max(sum(mat[i, p[i]] for i in range(n_r)) for p in itertools.permutations(range(n_c), n_r))
    else:
        best = max(sum(mat[p[j], j] for j in range(n_c)) for p in itertools.permutations(range(n_r), n_c))
    assert assignment_max(mat) == pytest.approx(best)


# -- batch behaviour -----------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60) | st.sampled_from(['{"name": "Ann Lee", "age": 36}', "```json\n[1]\n```",
                                                          '{"age": "36"}', "[[[[", '{"a": NaN}']),
                min_size=1, max_size=12))
def test_any_text_gives_a_defined_score_per_row_in_order(outputs: list[str]) -> None:
    res = run({"schema": PERSON, **fields()}, outputs)
    assert len(res.scores) == len(outputs)
    assert np.all((res.scores >= 0) & (res.scores <= 1))
    assert set(res.status.tolist()) <= {0}
    for i, o in enumerate(outputs):
        single = run({"schema": PERSON, **fields()}, [o])
        assert single.scores[0] == res.scores[i]


def test_composes_under_weighted_and_explains() -> None:
    g = graders.from_dict({"type": "weighted", "graders": {
        "json": {"type": "json", "schema": PERSON, **fields()},
        "short": {"type": "regex", "pattern": "^.{0,200}$"}}})
    res = g.score(['{"name": "Ann Lee", "age": 36, "tags": ["red", "green", "blue"]}'], [ITEM])
    assert res.scores.tolist() == [1.0]
    assert res.components["json.name"].tolist() == [1.0]
    tree = g.explain('{"name": "Ann Lee", "age": "x"}', ITEM)
    node = tree["children"][0]
    assert node["score"] == 0.0 and "model_schema_violation" in node["note"]


def test_misspelled_schema_key_suggests_schema() -> None:
    with pytest.raises(ConfigError, match="did you mean 'schema'"):
        graders.from_yaml("grader:\n  type: json\n  schemas: {type: object}\n")


def test_explain_shows_the_order_any_matching() -> None:
    g = graders.from_dict({"type": "json", "order": "any",
                           "fields": {"tags": {"type": "exact", "reference": "{{ item.tags }}"}}})
    tree = g.explain('{"tags": ["green", "red"]}', ITEM)
    tags = tree["children"][0]
    assert tags["score"] == pytest.approx(2 / 3) and "max(2 predicted, 3 expected)" in tags["note"]


# -- adversarial regressions ----------------------------------------------------------------------
def test_duplicate_keys_are_not_json() -> None:
    # Python keeps the last value, other parsers the first: {"age": 1, "age": 36} must not score 1.
    dup = '{"name": "Ann Lee", "age": 1, "age": 36, "tags": ["red", "green", "blue"]}'
    nested = '{"name": "Ann Lee", "age": 36, "tags": [{"x": 1, "x": 2}]}'
    res = run({"schema": PERSON, **fields()}, [dup, nested, dup.replace('"age": 1, ', "")])
    assert res.scores.tolist() == [0, 0, 1]
    assert kinds(res, 0) == ["model_invalid_json"] and "duplicate key 'age'" in res.errors[0][0].message
    assert kinds(res, 1) == ["model_invalid_json"]


def test_a_number_overflowing_to_infinity_is_not_json() -> None:
    res = run({}, ['{"a": 1e400}', "[-1e999]", '{"a": 1e308}'])
    assert res.scores.tolist() == [0, 0, 1]
    assert kinds(res, 0) == kinds(res, 1) == ["model_invalid_json"]


def test_huge_weights_do_not_overflow_the_weighted_mean() -> None:
    # 1e308 + 1e308 = inf made every normalised weight 0 (score 0 for a half-right output).
    node = {"fields": {"name": {"type": "exact", "reference": "{{ item.name }}"},
                       "age": {"type": "numeric", "reference": "{{ item.age }}"}},
            "weights": {"name": 1e308, "age": 1e308}}
    res = run(node, ['{"name": "Ann Lee", "age": 1}'])
    assert res.scores.tolist() == [0.5]
    with pytest.raises(ConfigError, match="finite"):
        run({**node, "weights": {"name": float("inf"), "age": 1.0}}, ["{}"])


def test_fence_search_is_linear_in_blanks_after_the_backticks() -> None:
    # "```" + blanks and no newline: two adjacent [ \t]* made the fence search quadratic
    # (20,000 spaces 1.7 s; these 150,000 about 90 s before the fix).
    t0 = time.perf_counter()
    res = run({}, ["x```" + " " * 150_000, "x```" + "\t " * 75_000 + "json"])
    assert time.perf_counter() - t0 < 30
    assert res.scores.tolist() == [0, 0] and kinds(res, 0) == ["model_invalid_json"]
    assert run({}, ["see:\n```json  \n[1]\n```", "```  \n[2]\n```"]).scores.tolist() == [1, 1]
