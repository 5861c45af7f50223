from __future__ import annotations

import pytest

import graders
from graders.errors import ConfigError


def grade(op: str, outputs: list[str], ref: str) -> list[float]:
    g = graders.from_dict({"type": "string_check", "reference": "{{ item.r }}", "operation": op})
    return g.score(outputs, [{"r": ref}] * len(outputs)).scores.tolist()


@pytest.mark.parametrize(
    ("op", "outputs", "ref", "want"),
    [
        ("eq", ["approved", "Approved", "approved "], "approved", [1, 0, 0]),
        ("ne", ["approved", "Approved"], "approved", [0, 1]),
        ("like", ["it is approved.", "Approved"], "approved", [1, 0]),
        ("ilike", ["Get_Weather_v2", "get_time"], "get_weather", [1, 0]),
    ],
)
def test_openai_semantics(op: str, outputs: list[str], ref: str, want: list[int]) -> None:
    assert grade(op, outputs, ref) == want


def test_nested_tool_path() -> None:
    g = graders.from_dict({"type": "string_check", "input": "{{ sample.output_tools[0].function.name }}",
                           "reference": "get_weather", "operation": "ilike"})
    res = g.score([{"output_text": "", "output_tools": [{"function": {"name": "Get_Weather_v2"}}]},
                   {"output_text": "", "output_tools": []}])
    assert res.scores.tolist() == [1.0, 0.0]
    assert res.errors[1][0].kind == "missing_field" and "output_tools[0]" in res.errors[1][0].message


@pytest.mark.parametrize("op", ["neq", "contains"])
def test_bad_operation(op: str) -> None:
    with pytest.raises(ConfigError) as exc:
        graders.from_dict({"type": "string_check", "reference": "x", "operation": op})
    assert "operation" in str(exc.value)
    if op == "neq":
        assert "spelled 'ne'" in str(exc.value)
