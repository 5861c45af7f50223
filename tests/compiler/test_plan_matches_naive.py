"""Property: the compiled, batched, deduplicated, cached, short-circuited plan gives
exactly what a naive per-row walk of the same tree gives, for random trees and batches."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graders
from graders.plan import OptFlags
from tests.compiler.reference import naive

ANSWERS = ["42", "41", "1,000", "1000", "3.5", "-7", "B", "(B)", "Paris", "paris!", "x+1", ""]
STATUS = {0: "scored", 1: "not_applicable", 2: "error"}


def _completion(draw: st.DrawFn) -> str:
    ans = draw(st.sampled_from(ANSWERS))
    shape = draw(st.sampled_from(["boxed", "two_boxed", "line", "tagged", "bare", "none"]))
    other = draw(st.sampled_from(ANSWERS))
    return {
        "boxed": f"Work: 3 + 4 = 7. So \\boxed{{{ans}}}.",
        "two_boxed": f"First \\boxed{{{other}}} then \\boxed{{{ans}}}",
        "line": f"Reasoning here.\nThe answer is {ans}",
        "tagged": f"<think>hmm {other}</think><answer>{ans}</answer>",
        "bare": ans,
        "none": "I am not sure, maybe step 3.",
    }[shape]


completions = st.composite(lambda draw: _completion(draw))()

EXTRACTS = [None, "boxed", "last_number", "answer_line", {"type": "boxed", "multiple": "last"},
            {"type": "boxed", "multiple": "reject"}, {"type": "xml_tag", "tag": "answer"}]


@st.composite
def leaves(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(["exact", "regex", "fuzzy", "fuzzy", "numeric", "string_check"]))
    node: dict = {"type": kind}
    if kind != "regex":
        node["reference"] = draw(st.sampled_from(["{{ item.answer }}"] * 4 + ["{{ item.alt }}", "{{ item.missing }}"]))
    ext = draw(st.sampled_from(EXTRACTS))
    if ext is not None:
        node["extract"] = ext
    if kind == "regex":
        node["pattern"] = draw(st.sampled_from([r"\\boxed", r"<answer>", r"^\d+$", r"(?i)answer"]))
    elif kind == "fuzzy":
        node["scorer"] = draw(st.sampled_from(["ratio", "token_set_ratio", "WRatio", "jaro_winkler"]))
        if draw(st.booleans()):
            node["threshold"] = draw(st.sampled_from([0.5, 0.8]))
    elif kind == "exact":
        node["normalize"] = draw(st.sampled_from([[], ["case"], ["case", "punctuation", "whitespace"]]))
    elif kind == "string_check":
        node["operation"] = draw(st.sampled_from(["eq", "ne", "like", "ilike"]))
    node["on_error"] = draw(st.sampled_from(["zero", "zero", "skip"]))
    return node


@st.composite
def trees(draw: st.DrawFn, depth: int = 2) -> dict:
    """Mostly combinators at the top (a bare leaf tests little), leaves at the bottom."""
    if depth == 0 or draw(st.integers(0, 9)) < 2:
        return draw(leaves())
    kind = draw(st.sampled_from(["weighted", "min", "max", "product", "formula", "gate", "first_of"]))
    n = draw(st.integers(2, 3))
    kids = {f"c{i}": draw(trees(depth - 1)) for i in range(n)}
    node: dict = {"type": kind, "graders": kids}
    names = list(kids)
    if kind == "weighted":
        node["weights"] = {k: draw(st.sampled_from([0.5, 1.0, 2.0])) for k in names}
    elif kind == "formula":
        a, b = names[0], names[-1]
        node["expression"] = draw(st.sampled_from([
            f"{a} + {b}", f"0.3 * {a} + 0.7 * {b}", f"{a} * {b}", f"max({a}, {b}) - 0.1",
            f"{a} / {b}", f"sqrt({a}) * ({b} >= 0.5)", f"clip({a} - {b}, 0, 1)",
        ]))
    elif kind == "gate":
        node["threshold"] = draw(st.sampled_from([0.5, 1.0]))
        node["otherwise"] = draw(st.sampled_from([0.0, -1.0]))
    if draw(st.booleans()):
        node["range"] = [0.0, 1.0]
    return node


items = st.fixed_dictionaries({"answer": st.sampled_from(ANSWERS[:-1]), "alt": st.sampled_from(["42", "Paris", "B"])})


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees(), rows=st.lists(st.tuples(completions, items), min_size=1, max_size=12))
def test_compiled_plan_equals_naive_per_row(tree: dict, rows: list) -> None:
    samples = [s for s, _ in rows]
    its = [i for _, i in rows]
    fast = graders.from_dict({"grader": tree})
    slow = graders.from_dict({"grader": tree}, opt=OptFlags.none())
    # Twice through the fast grader: the second run is served from the cross-batch cache.
    for res in (fast.score(samples, its), fast.score(samples, its), slow.score(samples, its)):
        for i, (s, it) in enumerate(rows):
            want_v, want_st = naive(fast.spec.grader, {"output_text": s}, it)
            got_v = float(res.scores[i])
            assert _same(got_v, want_v), (i, s, it, got_v, want_v)
            # The row status also reports errors absorbed below the root.
            got_st = STATUS[int(res.status[i])]
            if want_st != "error":
                assert got_st == want_st or (got_st == "error" and res.errors[i]), (i, got_st, want_st)
            else:
                assert got_st == "error"


@settings(max_examples=60, deadline=None)
@given(tree=trees(depth=1), rows=st.lists(st.tuples(completions, items), min_size=1, max_size=8))
def test_batch_equals_one_row_at_a_time(tree: dict, rows: list) -> None:
    g = graders.from_dict({"grader": tree})
    batch = g.score([s for s, _ in rows], [i for _, i in rows])
    for i, (s, it) in enumerate(rows):
        one = graders.from_dict({"grader": tree}, opt=OptFlags.none()).score([s], [it])
        assert _same(float(batch.scores[i]), float(one.scores[0]))
        assert int(batch.status[i]) == int(one.status[0])
        for name, col in batch.components.items():
            assert _same(float(col[i]), float(one.components.get(name, [math.nan])[0])) or math.isnan(col[i]) or math.isnan(one.components.get(name, [math.nan])[0])
