from __future__ import annotations

import pickle

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from graders.errors import ConfigError
from graders.extract import (
    EXTRACT_SPEC_SCHEMA,
    MAX_DISTINCT_CANDIDATES,
    Extractor,
    ExtractSpec,
    TooManyAnswers,
    apply_policy,
    compile_extractor,
    names,
)


class Leaf(BaseModel):
    extract: ExtractSpec | None = None


GOOD = [
    "boxed",
    "none",
    {"type": "boxed", "multiple": "last"},
    {"type": "xml_tag", "tag": "final"},
    {"type": "regex", "pattern": r"(\d+)", "group": 1, "flags": "is", "timeout": 1},
    {"type": "json_path", "path": "a.b[0]"},
    ["strip_think", "boxed"],
    ["strip_think", {"type": "xml_tag"}, {"type": "boxed", "multiple": "reject"}],
]

BAD = [
    ("boxd", "unknown extractor 'boxd'", "did you mean 'boxed'"),
    ({"type": "boxd"}, "valid names: answer_line, auto, boxed", None),
    ({"pattern": "x"}, "needs a 'type' key", None),
    ({"type": 3}, "type must be", None),
    ({"type": "boxed", "multiple": "first"}, "multiple must be one of", None),
    ({"type": "boxed", "tag": "x"}, "unknown option 'tag'", "allowed: type, multiple"),
    ({"type": "regex", "pattern": "(a"}, "invalid regular expression '(a'", None),
    ({"type": "regex", "pattern": "(a)", "group": 3}, "group 3 is out of range", None),
    ({"type": "xml_tag", "tag": "<bad>"}, "tag must be", None),
    ([], "at least one step", None),
    ([["boxed"]], "not lists", None),
    (["strip_think", "boxd"], "unknown extractor 'boxd'", None),
    (5, "got int", None),
]


@pytest.mark.parametrize("spec", GOOD)
def test_good_specs_validate_and_round_trip(spec):
    leaf = Leaf(extract=spec)
    dumped = leaf.model_dump()["extract"]
    assert dumped == (list(spec) if isinstance(spec, list) else spec)
    assert Leaf.model_validate_json(leaf.model_dump_json()).extract == dumped
    assert isinstance(compile_extractor(leaf.extract), Extractor)
    jsonschema.validate(spec, EXTRACT_SPEC_SCHEMA)


@pytest.mark.parametrize(("spec", "message", "hint"), BAD)
def test_bad_specs(spec, message, hint):
    with pytest.raises(ValidationError) as info:
        Leaf(extract=spec)
    text = str(info.value)
    assert message in text
    if hint:
        assert hint in text
    with pytest.raises(ConfigError) as info2:
        compile_extractor(spec)
    assert message in str(info2.value) or isinstance(spec, int)


@pytest.mark.parametrize(
    "spec",
    ["boxd", {"type": "boxed", "tag": "x"}, {"pattern": "x"}, [], [["boxed"]], 5, "regex"],
)
def test_schema_rejects_what_validation_rejects(spec):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(spec, EXTRACT_SPEC_SCHEMA)


def test_schema_in_a_model():
    schema = Leaf.model_json_schema()
    assert "boxed" in str(schema)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_names():
    assert {
        "boxed",
        "last_number",
        "answer_line",
        "xml_tag",
        "regex",
        "json_path",
        "strip_think",
        "last_line",
        "auto",
        "none",
        "identity",
    } <= set(names())


class TestExtractor:
    def test_immutable_and_hashable(self):
        ex = compile_extractor("boxed")
        with pytest.raises(AttributeError):
            ex.policy = "last"
        with pytest.raises(AttributeError):
            ex.key = 1
        assert {ex: 1}[compile_extractor({"type": "boxed"})] == 1

    def test_key_depends_on_config(self):
        keys = {
            compile_extractor("boxed").key,
            compile_extractor({"type": "boxed", "multiple": "all_must_agree"}).key,
            compile_extractor(["strip_think", "boxed"]).key,
            compile_extractor({"type": "xml_tag", "tag": "a"}).key,
            compile_extractor({"type": "xml_tag", "tag": "b"}).key,
        }
        assert len(keys) == 5
        assert compile_extractor(["boxed"]).key == compile_extractor("boxed").key

    def test_non_string_input_is_a_type_error(self):
        with pytest.raises(TypeError):
            compile_extractor("boxed")(None)  # type: ignore[arg-type]

    @pytest.mark.parametrize("spec", GOOD + ["auto", "answer_line", "last_line", "last_number"])
    def test_pickle(self, spec):
        ex = compile_extractor(spec)
        back = pickle.loads(pickle.dumps(ex))
        assert back.key == ex.key and back.policy == ex.policy
        text = "<think>x</think><answer>\\boxed{1} 2</answer> final: 3"
        assert back(text) == ex(text)

    def test_compile_is_idempotent_on_extractors(self):
        ex = compile_extractor("boxed")
        assert compile_extractor(ex) is ex

    def test_describe(self):
        assert compile_extractor(
            ["strip_think", {"type": "boxed", "multiple": "reject"}]
        ).describe() == ("strip_think </think> -> boxed (multiple: reject)")


class TestPolicies:
    def test_default_is_last(self):
        for spec in ("boxed", "answer_line", "auto", {"type": "regex", "pattern": "x"}):
            assert compile_extractor(spec).policy == "last"

    @pytest.mark.parametrize(
        ("candidates", "policy", "expected"),
        [
            ((), "last", ()),
            ((), "all_must_agree", ()),
            (("41", "42"), "last", ("42",)),
            (("41", "42"), "all_must_agree", ("41", "42")),
            (("42", "41", "42"), "all_must_agree", ("42", "41")),
            (("42", "42"), "all_must_agree", ("42",)),
            (("41", "42"), "reject", ()),
            (("42", "42"), "reject", ("42",)),
            (
                tuple(str(i) for i in range(MAX_DISTINCT_CANDIDATES)),
                "all_must_agree",
                tuple(str(i) for i in range(MAX_DISTINCT_CANDIDATES)),
            ),
        ],
    )
    def test_apply_policy(self, candidates, policy, expected):
        assert apply_policy(candidates, policy) == expected

    def test_too_many_distinct_answers(self):
        many = tuple(str(i) for i in range(MAX_DISTINCT_CANDIDATES + 1))
        with pytest.raises(TooManyAnswers):
            apply_policy(many, "all_must_agree")
        assert apply_policy(many, "last") == (many[-1],)
        assert apply_policy(many, "reject") == ()

    def test_answers(self):
        text = r"\boxed{41}. Then \boxed{42}"
        assert compile_extractor("boxed").answers(text) == ("42",)
        assert compile_extractor({"type": "boxed", "multiple": "all_must_agree"}).answers(text) == ("41", "42")
        assert compile_extractor({"type": "boxed", "multiple": "reject"}).answers(text) == ()
        hedge = r"\boxed{41} or \boxed{42}"  # one candidate under every policy
        for policy in ("last", "all_must_agree", "reject"):
            assert compile_extractor({"type": "boxed", "multiple": policy}).answers(hedge) == ("41, 42",)


class TestPipelines:
    def test_strip_think_then_boxed(self):
        ex = compile_extractor(["strip_think", "boxed"])
        assert ex(r"<think>\boxed{1}</think> so \boxed{2}") == ("2",)
        assert ex(r"<think>\boxed{1}") == ()  # unfinished reasoning: nothing handed on
        assert ex.policy == "last"

    def test_every_candidate_is_handed_on(self):
        ex = compile_extractor([{"type": "xml_tag", "multiple": "all_must_agree"}, "boxed"])
        text = r"<answer>\boxed{1}</answer> <answer>\boxed{2} \boxed{3}</answer>"
        assert ex(text) == ("1", "2, 3")  # the boxes of one statement are one candidate

    def test_default_hands_on_the_last(self):
        ex = compile_extractor(["xml_tag", "boxed"])
        assert ex(r"<answer>\boxed{1}</answer> <answer>\boxed{2}</answer>") == ("2",)

    def test_intermediate_policy_reduces_what_is_handed_on(self):
        text = r"<answer>\boxed{1}</answer> <answer>\boxed{2}</answer>"
        last = compile_extractor([{"type": "xml_tag", "multiple": "last"}, "boxed"])
        assert last(text) == ("2",)
        reject = compile_extractor([{"type": "xml_tag", "multiple": "reject"}, "boxed"])
        assert reject(text) == ()
        same = "<answer>\\boxed{1}</answer> <answer>\\boxed{1}</answer>"
        assert reject(same) == ("1",)

    def test_last_step_policy_is_the_pipeline_policy(self):
        ex = compile_extractor(["strip_think", {"type": "last_number", "multiple": "reject"}])
        assert ex.policy == "reject"

    def test_three_steps(self):
        ex = compile_extractor(["strip_think", "last_line", "last_number"])
        assert ex("<think>7</think>\nthe total is 12 apples\n\nso 15 in all") == ("15",)

    def test_repeated_intermediate_texts_are_extracted_once(self):
        calls = []
        inner = compile_extractor("boxed")

        def counting(text):
            calls.append(text)
            return inner(text)

        spy = Extractor(counting, ("spy",), "all_must_agree", "spy")
        # compile a pipeline around the spy through the public list form
        ex = compile_extractor([{"type": "xml_tag", "multiple": "all_must_agree"}, spy])
        assert ex("<answer>\\boxed{5}</answer>" * 3) == ("5", "5", "5")
        assert len(calls) == 1
