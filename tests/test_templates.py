from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.paths import format_path, parse_path
from graders.templates import Template, TemplateMissing


def test_renders_item_and_sample_paths() -> None:
    t = Template.parse("Q: {{ item.q.text }} / {{item.list[1]}} / {{ sample.output_text }}")
    assert t.render({"output_text": "out"}, {"q": {"text": "why"}, "list": [1, 2]}) == "Q: why / 2 / out"


def test_non_string_values_render_as_json() -> None:
    t = Template.parse("{{ item.x }}")
    assert t.render({}, {"x": {"a": [1, 2.5, None, True]}}) == '{"a":[1,2.5,null,true]}'
    assert t.render({}, {"x": 42}) == "42"


def test_output_json_is_parsed_from_output_text() -> None:
    t = Template.parse("{{ sample.output_json.name }}")
    assert t.render({"output_text": '```json\n{"name": "Ann"}\n```'}, {}) == "Ann"


def test_missing_path_names_the_path() -> None:
    t = Template.parse("{{ item.a.b[3] }}")
    with pytest.raises(TemplateMissing, match=r"item\.a\.b\[3\] is out of range"):
        t.render({}, {"a": {"b": [1]}})
    with pytest.raises(TemplateMissing, match=r"item\.a is missing"):
        t.render({}, {})


def test_output_json_not_json() -> None:
    with pytest.raises(TemplateMissing, match="not valid JSON"):
        Template.parse("{{ sample.output_json.x }}").render({"output_text": "nope"}, {})


@pytest.mark.parametrize("bad", ["{{ answer }}", "{{ item. }}", "{{ item.a", "{{ item..a }}", "{{ os.system }}"])
def test_bad_templates_fail_at_parse(bad: str) -> None:
    with pytest.raises(ValueError):
        Template.parse(bad)


keys = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True), st.integers(0, 9), st.text(" a-b.", min_size=1, max_size=4))


@given(st.lists(keys, min_size=1, max_size=5).filter(lambda p: isinstance(p[0], str) and p[0].isidentifier()))
def test_path_format_parse_roundtrip(path: list) -> None:
    assert parse_path(format_path(tuple(path))) == tuple(path)


# -- sample fields (issue 9, item 12) ---------------------------------------------------------
import graders  # noqa: E402


def test_sample_without_output_text_is_fine_when_no_template_reads_it() -> None:
    g = graders.from_dict({"type": "exact", "input": "{{ sample.attempts[1] }}", "reference": "{{ item.a }}"})
    r = g.score([{"attempts": ["wrong", "42"]}, {"attempts": ["x", "7"]}], [{"a": "42"}, {"a": "8"}])
    assert r.status.tolist() == [0, 0] and r.scores.tolist() == [1.0, 0.0]


def test_missing_output_text_is_missing_field_only_where_read() -> None:
    g = graders.from_dict({"type": "exact", "reference": "x"})
    r = g.score([{"attempts": ["x"]}, "x"])
    assert r.status.tolist() == [2, 0]
    assert r.errors[0][0].kind == "missing_field" and "output_text" in r.errors[0][0].message


def test_invalid_output_json_is_a_wrong_answer_not_a_grader_error() -> None:
    g = graders.from_dict({"type": "exact", "input": "{{ sample.output_json.name }}", "reference": "{{ item.n }}"})
    r = g.score(['{"name": "Ada"}', "{name: Ada", {"output_json": {"name": "Bob"}}], [{"n": "Ada"}] * 3)
    assert r.status.tolist() == [0, 0, 0] and r.scores.tolist() == [1.0, 0.0, 0.0]
    assert r.errors[1] == [] and r.counters["invalid_output_json"] == 1
    tree = g.explain("{name: Ada", {"n": "Ada"})
    assert "invalid_output_json" in tree["note"]


def test_mistyped_sample_field_fails_validation_with_did_you_mean() -> None:
    with pytest.raises(graders.ConfigError, match=r"did you mean 'sample.output_text'"):
        graders.from_dict({"type": "exact", "input": "{{ sample.ouput_text }}", "reference": "x"})
    with pytest.raises(graders.ConfigError, match=r"did you mean 'sample.output_json'"):
        graders.from_dict({"type": "exact", "input": "{{ sample.outptu_json.a }}", "reference": "x"})
    graders.from_dict({"type": "exact", "input": "{{ sample.my_field }}", "reference": "x"})  # custom fields pass


def test_sampling_param_typo_gets_did_you_mean() -> None:
    with pytest.raises(graders.ConfigError, match=r"did you mean 'temperature'"):
        graders.from_dict({"type": "score_model", "model": "gpt-4.1-mini", "sampling_params": {"temprature": 0},
                           "input": [{"role": "user", "content": "{{ sample.output_text }}"}]})


def test_a_null_item_field_is_missing_not_the_text_null() -> None:
    """A null reference must not credit a completion that answers "null" (adversary finding)."""
    import graders

    g = graders.from_dict({"grader": {"type": "exact", "reference": "{{ item.r }}"}})
    res = g.score(["null", "42"], [{"r": None}, {"r": "42"}])
    assert res.scores.tolist() == [0.0, 1.0]
    assert res.errors[0] and res.errors[0][0].kind == "missing_field"
    assert not res.errors[1]
