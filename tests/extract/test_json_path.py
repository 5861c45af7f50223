from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.errors import ConfigError
from graders.extract import compile_extractor

from ._util import within


def jp(path):
    return compile_extractor({"type": "json_path", "path": path})


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("answer", '{"answer": "42"}', ("42",)),
        ("answer", '  {"answer": " 42 "}  ', ("42",)),
        ("answer.value", '{"answer": {"value": 3.5}}', ("3.5",)),
        ("items[1]", '{"items": [1, 2, 3]}', ("2",)),
        ("items[-1]", '{"items": [1, 2, 3]}', ("3",)),
        ('x["a b"]', '{"x": {"a b": true}}', ("true",)),
        ("a", '{"a": [1, {"b": "é"}]}', ('[1, {"b": "é"}]',)),
        ("a", '{"a": null}', ()),
        ("a", '{"a": ""}', ()),
        ("a", '{"b": 1}', ()),
        ("a[0]", '{"a": 5}', ()),
        ("a", "not json", ()),
        ("a", "", ()),
        # a fenced block, the last one
        ("a", 'Here:\n```json\n{"a": 1}\n```\nand\n```json\n{"a": 2}\n```', ("2",)),
        ("a", 'Here:\n```\n{"a": 7}\n```', ("7",)),
        # prose around one object: first "{" to last "}"
        ("a", 'My reply is {"a": 9} as requested.', ("9",)),
        ("a", 'I think {x} and then {"a": 9}', ()),  # documented limit
    ],
)
def test_table(path, text, expected):
    assert jp(path)(text) == expected


def test_bad_path_is_a_config_error():
    with pytest.raises(ConfigError, match="path"):
        jp("a..b")
    with pytest.raises(ConfigError, match="path"):
        compile_extractor({"type": "json_path", "path": 3})
    with pytest.raises(ConfigError, match="needs options"):
        compile_extractor("json_path")


class TestHostile:
    def test_deep_nesting_is_no_answer(self):
        with within(1.0):
            assert jp("a")("[" * 100_000 + "]" * 100_000) == ()
            assert jp("a")('{"a": ' * 50_000 + "1" + "}" * 50_000) == ()

    def test_huge_int_is_no_answer(self):
        assert jp("a")('{"a": ' + "9" * 5000 + "}") == ()

    def test_big_text(self):
        with within(1.0):
            assert jp("a")("x" * 5_000_000 + '{"a": 1}') == ("1",)

    def test_many_braces(self):
        with within(1.0):
            assert jp("a")('{"a": ' * 1_000_000) == ()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='{}[]":, a1`\n', max_size=60))
def test_never_raises(text):
    assert len(jp("a")(text)) <= 1
