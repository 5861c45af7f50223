from __future__ import annotations

import pickle

import pytest

from graders.errors import ConfigError
from graders.extract import ExtractionTimeout, compile_extractor

from ._util import within


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        ({"type": "regex", "pattern": r"ANSWER:\s*(\w+)"}, "ANSWER: B ... ANSWER: C", ("B", "C")),
        ({"type": "regex", "pattern": r"\d+"}, "1 and 22", ("1", "22")),  # no groups: group 0
        ({"type": "regex", "pattern": r"(x)=(\d+)", "group": 2}, "x=3, x=4", ("3", "4")),
        ({"type": "regex", "pattern": r"(x)=(\d+)", "group": 0}, "x=3", ("x=3",)),
        ({"type": "regex", "pattern": r"(x)=(\d+)", "group": "2"}, "x=3", ("3",)),
        ({"type": "regex", "pattern": r"v=(?P<val>\d+)", "group": "val"}, "v=9", ("9",)),
        ({"type": "regex", "pattern": r"answer: (\w+)", "ignore_case": True}, "ANSWER: z", ("z",)),
        ({"type": "regex", "pattern": r"answer: (\w+)", "flags": "i"}, "ANSWER: z", ("z",)),
        ({"type": "regex", "pattern": r"a.b", "flags": ["DOTALL"]}, "a\nb", ("a\nb",)),
        ({"type": "regex", "pattern": r"^(\d)$", "flags": "m"}, "1\n2", ("1", "2")),
        (
            {"type": "regex", "pattern": r"(a)|(b)", "group": 2},
            "a b",
            ("b",),
        ),  # unmatched group skipped
        ({"type": "regex", "pattern": r"x(\s*)y"}, "x  y", ()),  # blank candidates dropped
        ({"type": "regex", "pattern": r"nothing"}, "here", ()),
    ],
)
def test_table(spec, text, expected):
    assert compile_extractor(spec)(text) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "regex", "pattern": "(a"}, "'(a'"),
        ({"type": "regex", "pattern": "(a)", "group": 2}, "out of range"),
        ({"type": "regex", "pattern": "a", "group": 1}, "out of range"),
        ({"type": "regex", "pattern": "(?P<x>a)", "group": "y"}, "no group named 'y'"),
        ({"type": "regex", "pattern": "a", "group": True}, "group must be"),
        ({"type": "regex", "pattern": ""}, "non-empty"),
        ({"type": "regex", "pattern": "a", "flags": "q"}, "unknown regex flag"),
        ({"type": "regex", "pattern": "a", "flags": 3}, "flags must be"),
        ({"type": "regex", "pattern": "a", "timeout": 0}, "timeout"),
        ({"type": "regex", "pattern": "a", "timeout": 1000}, "timeout"),
        ({"type": "regex", "pattern": "a", "ignore_case": "yes"}, "ignore_case"),
        ({"type": "regex"}, "needs the option 'pattern'"),
        ("regex", "needs options"),
    ],
)
def test_bad_specs_fail_at_compile_time(spec, message):
    with pytest.raises(ConfigError) as info:
        compile_extractor(spec)
    assert message in str(info.value)


def test_bad_pattern_error_names_the_pattern_and_the_path():
    with pytest.raises(ConfigError) as info:
        compile_extractor(["strip_think", {"type": "regex", "pattern": "[unclosed"}])
    assert "'[unclosed'" in str(info.value)
    assert info.value.issues[0].path == "extract[1].pattern"


def test_key_is_stable_and_picklable():
    a = compile_extractor({"type": "regex", "pattern": r"(\d+)", "ignore_case": True})
    b = compile_extractor({"type": "regex", "pattern": r"(\d+)", "flags": "i", "group": 1})
    assert a.key == b.key and hash(a) == hash(b)
    c = pickle.loads(pickle.dumps(a))
    assert c.key == a.key and c("x 12") == ("12",)


class TestReDoS:
    def test_nested_quantifier_is_bounded(self):
        ex = compile_extractor({"type": "regex", "pattern": "(a+)+$", "timeout": 0.2})
        with within(0.5):
            try:
                assert ex("a" * 40 + "b") == ()
            except ExtractionTimeout:
                pass  # either outcome is fine, as long as it is quick

    def test_catastrophic_pattern_raises_extraction_timeout(self):
        ex = compile_extractor({"type": "regex", "pattern": "(a|aa)+$", "timeout": 0.05})
        with within(1.0), pytest.raises(ExtractionTimeout) as info:
            ex("a" * 40 + "b")
        assert info.value.pattern == "(a|aa)+$"
        assert isinstance(info.value, TimeoutError)

    def test_the_timeout_covers_the_whole_scan(self):
        ex = compile_extractor({"type": "regex", "pattern": "a", "timeout": 0.05})
        with within(1.0), pytest.raises(ExtractionTimeout):
            ex("a" * 5_000_000)

    def test_default_timeout_on_big_benign_input(self):
        ex = compile_extractor({"type": "regex", "pattern": r"ANSWER: (\d+)"})
        with within(1.0):
            assert ex("x" * 5_000_000 + " ANSWER: 5") == ("5",)
