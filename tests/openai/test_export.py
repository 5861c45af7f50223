"""Export of native trees: flattened into one exact `multi`, or refused naming the node."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graders
from graders.errors import ConfigError


def leaf(ref: str, op: str = "eq") -> dict[str, Any]:
    return {"type": "string_check", "input": "{{ sample.output_text }}", "reference": ref, "operation": op}


def sim(ref: str) -> dict[str, Any]:
    return {"type": "text_similarity", "input": "{{ sample.output_text }}", "reference": ref,
            "evaluation_metric": "fuzzy_match"}


TREES = {
    "weighted_normalised": {"type": "weighted", "weights": {"a": 3, "b": 1}, "graders": {"a": leaf("x", "like"), "b": sim("xyz")}},
    "weighted_raw": {"type": "weighted", "normalize": False, "graders": {"a": {**leaf("x", "like"), "weight": 2}, "b": sim("xy")}},
    "min_max_product": {"type": "formula", "expression": "lo + hi + p", "graders": {
        "lo": {"type": "min", "graders": {"a": leaf("x", "like"), "b": sim("xyz")}},
        "hi": {"type": "max", "graders": {"a": leaf("q", "like"), "b": sim("xyz")}},
        "p": {"type": "product", "graders": {"a": leaf("x", "like"), "b": sim("xy")}}}},
    "nested_formula_with_range": {"type": "formula", "expression": "-inner ^ 2 + 2 * s", "graders": {
        "inner": {"type": "formula", "expression": "clip(a * 3 - 1, 0, 1.5) + log(b + 1, 2)", "range": [0, 2],
                  "graders": {"a": sim("xy"), "b": leaf("x", "like")}},
        "s": sim("zz")}},
    "nested_multi": {"type": "multi", "calculate_output": "0.5 * m + 0.5 * abs(k - 1)", "graders": {
        "m": {"type": "multi", "calculate_output": "max(a, b) / 2", "graders": {"a": sim("x"), "b": leaf("y", "ilike")}},
        "k": leaf("xyz")}},
}
SAMPLES = ["x", "xy", "xyz", "Y", "zz", "", "qx", "abc"]


@pytest.mark.parametrize("name", list(TREES))
def test_flattened_export_scores_exactly_the_same(name: str) -> None:
    native = graders.from_dict({"name": name, "grader": TREES[name]})
    exported = graders.to_openai(native)
    assert exported["type"] == "multi"
    assert all(c["type"] != "multi" for c in exported["graders"].values())  # one level, as OpenAI requires
    imported = graders.from_openai(exported)
    a = native.score(SAMPLES).scores
    b = imported.score(SAMPLES).scores
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("tree", "path", "what"), [
    ({"type": "gate", "graders": {"f": leaf("x"), "g": leaf("y")}}, "grader", "gate"),
    ({"type": "weighted", "graders": {"ok": leaf("x"), "r": {"type": "regex", "pattern": "x"}}}, "grader.graders.r", "regex"),
    ({"type": "formula", "expression": "a > 0", "graders": {"a": leaf("x"), "b": leaf("y")}}, "grader", "comparison"),
    ({"type": "max", "graders": {"a": {**leaf("x"), "on_error": "skip"}, "b": leaf("y")}}, "grader.graders.a", "on_error"),
    ({"type": "first_of", "graders": {"a": leaf("x"), "b": leaf("y")}}, "grader", "first_of"),
])
def test_export_fails_naming_the_node(tree: dict[str, Any], path: str, what: str) -> None:
    try:
        g = graders.from_dict({"grader": tree})
    except ConfigError as exc:  # pragma: no cover - a kind changed its rules
        pytest.skip(f"tree no longer valid here: {exc}")
    with pytest.raises(ConfigError) as exc:
        graders.to_openai(g)
    assert what in str(exc.value)
    assert exc.value.issues[0].path == path


# -- property: any tree of OpenAI leaves under weighted/min/max/product/formula flattens exactly ------

_LEAF = st.one_of(
    st.builds(lambda r, op: leaf(r, op), st.sampled_from(["x", "y", "xy", "Y"]), st.sampled_from(["eq", "ne", "like", "ilike"])),
    st.builds(sim, st.sampled_from(["x", "xyz", "zz"])),
)


def _formula_over(keys: list[str], draw_ops: list[str]) -> str:
    expr = keys[0]
    for k, op in zip(keys[1:], draw_ops, strict=False):
        expr = {"+": f"({expr}) + {k}", "-": f"({expr}) - 2 * {k}", "*": f"({expr}) * {k}",
                "^": f"abs({expr}) ^ {k}", "min": f"min({expr}, {k}, 0.5)", "sqrt": f"sqrt(abs({expr})) + exp(-{k})",
                "floor": f"floor(3 * {expr}) / 3 + ceil({k})"}[op]
    return expr


@st.composite
def _node(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    if depth >= 2 or draw(st.booleans()):
        return draw(_LEAF)
    kind = draw(st.sampled_from(["weighted", "min", "max", "product", "formula"]))
    n = draw(st.integers(1, 3))
    kids = {f"c{i}": draw(_node(depth + 1)) for i in range(n)}
    node: dict[str, Any] = {"type": kind, "graders": kids}
    if kind == "weighted":
        node["weights"] = {k: draw(st.integers(1, 4)) for k in kids}
        node["normalize"] = draw(st.booleans())
    if kind == "formula":
        ops = draw(st.lists(st.sampled_from(["+", "-", "*", "^", "min", "sqrt", "floor"]), min_size=n, max_size=n))
        node["expression"] = _formula_over(list(kids), ops)
    if draw(st.booleans()):
        node["range"] = [-0.5, 0.75]
    return node


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_node())
def test_property_flattening_is_exact(tree: dict[str, Any]) -> None:
    native = graders.from_dict({"grader": tree})
    imported = graders.from_openai(graders.to_openai(native))
    a = native.score(SAMPLES)
    b = imported.score(SAMPLES)
    np.testing.assert_allclose(b.scores, a.scores, rtol=1e-12, atol=1e-12)
