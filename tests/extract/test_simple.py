from __future__ import annotations

import pytest

from graders.extract import compile_extractor

from ._util import within


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("identity", "  42 \n", ("42",)),
        ("none", "a\nb", ("a\nb",)),
        ("identity", "   ", ()),
        ("last_line", "reasoning\n\n42\n\n", ("42",)),
        ("last_line", "only line", ("only line",)),
        ("last_line", "a\r\nb  \r\n", ("b",)),
        ("last_line", "\n\n \n", ()),
    ],
)
def test_table(name, text, expected):
    assert compile_extractor(name)(text) == expected


def test_none_is_an_alias_of_identity():
    assert compile_extractor("none").key == compile_extractor("identity").key
    assert compile_extractor(None).key == compile_extractor("identity").key


def test_last_line_on_big_text():
    with within(0.5):
        assert compile_extractor("last_line")("x\n" * 2_000_000 + "end\n" + " \n" * 100_000) == (
            "end",
        )
