"""Property: trees with shaping nodes give, batched and short-circuited, what a naive per-row walk gives."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graders
from graders.plan import OptFlags
from tests.compiler.reference import naive

WORDS = ["a", "b", "the", "The", "answer", "is", "42", "\\boxed{42}", "<think>", "</think>", "so", "SO"]


@st.composite
def samples(draw: st.DrawFn) -> dict:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=14))
    sep = draw(st.sampled_from([" ", "  ", "\n"]))
    s: dict = {"output_text": sep.join(words)}
    if draw(st.booleans()):
        s["completion_ids"] = draw(st.lists(st.integers(0, 4), max_size=14))
    if draw(st.booleans()):
        s["attempts"] = draw(st.lists(st.sampled_from(["\\boxed{42}", "41", "", "42 or 41"]), max_size=3))
    return s


CHECK = {"type": "exact", "reference": "{{ item.answer }}", "extract": "boxed"}


@st.composite
def shaping_leaves(draw: st.DrawFn) -> dict:
    unit = draw(st.sampled_from(["chars", "words", "tokens"]))
    kind = draw(st.sampled_from(["overlong", "target", "cosine", "repetition", "self_correction"]))
    on_error = draw(st.sampled_from(["zero", "skip"]))
    if kind == "repetition":
        return {"type": "repetition", "unit": unit, "ngram": draw(st.integers(1, 3)),
                "max_penalty": draw(st.sampled_from([-1.0, -0.5])), "on_error": on_error}
    if kind == "self_correction":
        return {"type": "self_correction", "alpha": draw(st.sampled_from([0.0, 2.0])), "grader": CHECK, "on_error": on_error}
    node: dict = {"type": "length", "shape": kind, "unit": unit, "on_error": on_error}
    if kind == "overlong":
        node.update(max_length=draw(st.integers(1, 30)), buffer=draw(st.integers(0, 1)))
        node["buffer"] = min(node["buffer"] * draw(st.integers(0, 10)), node["max_length"])
    elif kind == "target":
        node.update(target=draw(st.integers(1, 20)), tolerance=draw(st.integers(0, 3)))
    else:
        node.update(max_length=draw(st.integers(1, 30)), correct=CHECK)
    return node


@st.composite
def trees(draw: st.DrawFn) -> dict:
    kids = {f"c{i}": draw(shaping_leaves()) for i in range(draw(st.integers(1, 3)))}
    top = draw(st.sampled_from(["weighted", "gate", "formula", "product"]))
    if top == "gate":
        return {"type": "gate", "otherwise": -1.0, "graders": {"fmt": {"type": "regex", "pattern": "answer"}, **kids}}
    if top == "formula":
        return {"type": "formula", "expression": " + ".join(kids), "graders": kids}
    if top == "weighted":
        return {"type": "weighted", "normalize": False, "graders": kids}
    return {"type": "product", "graders": kids}


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees(), rows=st.lists(samples(), min_size=1, max_size=8))
def test_plan_equals_naive(tree: dict, rows: list) -> None:
    items = [{"answer": "42"}] * len(rows)
    fast = graders.from_dict({"grader": tree})
    slow = graders.from_dict({"grader": tree}, opt=OptFlags.none())
    for res in (fast.score(rows, items), fast.score(rows, items), slow.score(rows, items)):
        for i, s in enumerate(rows):
            want, st_ = naive(fast.spec.grader, dict(s), items[i])
            assert _same(float(res.scores[i]), want), (i, s, float(res.scores[i]), want)
            if st_ == "error":
                assert res.status[i] == 2
