"""Extraction over a batch column: each distinct text once, found by cheap probes first
(graders.plan._Probes); the result must equal a plain per-text map whatever the probes say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders.extract import compile_extractor
from graders.plan import PROBE_FROM, PROBE_TO, _extract_column, _Failure, _Probes

PAD = "step " * 80  # 400 chars: long enough for the probe to be a slice


def _counting(name: str) -> tuple[object, list[str]]:
    ex = compile_extractor(name)
    seen: list[str] = []
    fn = ex._fn

    def counted(text: str) -> tuple[str, ...]:
        seen.append(text)
        return fn(text)

    object.__setattr__(ex, "_fn", counted)
    return ex, seen


def test_probe_is_a_slice_of_long_texts_and_short_texts_themselves() -> None:
    assert _Probes(["short", PAD]).probes == ["short", PAD[PROBE_FROM:PROBE_TO]]


def test_texts_sharing_a_probe_but_different_are_each_extracted() -> None:
    # Same characters where the probe looks, different answers at the end.
    texts = [PAD + r"\boxed{1}", PAD + r"\boxed{2}", PAD + r"\boxed{1}", PAD + r"\boxed{1}"]
    probes = _Probes(texts)
    assert probes.shared is not None
    ex, seen = _counting("boxed")
    out = _extract_column(ex, texts, probes)
    assert out == [("1",), ("2",), ("1",), ("1",)]
    assert sorted(seen) == sorted({*texts})  # each distinct text once


def test_distinct_long_texts_skip_dedupe_and_duplicates_are_extracted_once() -> None:
    texts = ["".join(f"w{i}.{k} " for k in range(60)) + f"answer {i}" for i in range(50)]
    assert _Probes(texts).shared is None
    ex, seen = _counting("last_number")
    assert _extract_column(ex, texts) == [(str(i),) for i in range(50)]
    assert len(seen) == 50
    dup = texts + [t.encode().decode() for t in texts[:10]]  # equal, not the same objects
    ex, seen = _counting("last_number")
    assert _extract_column(ex, dup) == [(str(i),) for i in range(50)] + [(str(i),) for i in range(10)]
    assert len(seen) == 50


def test_failures_pass_through() -> None:
    f = _Failure("missing_field", "no")
    ex, _ = _counting("boxed")
    assert _extract_column(ex, [r"\boxed{3}", f, r"\boxed{3}"]) == [("3",), f, ("3",)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "x", PAD, PAD + "y", "y" + PAD]),
                          st.sampled_from(["", r"\boxed{7}", r"\boxed{8}", " 9", "+1"])), max_size=30))
def test_column_equals_a_plain_map(parts: list[tuple[str, str]]) -> None:
    texts = [a + b for a, b in parts]
    for name in ("boxed", "last_number"):
        ex = compile_extractor(name)
        assert _extract_column(ex, texts) == [ex(t) for t in texts]


def test_scores_of_long_duplicated_completions_match_row_by_row() -> None:
    """Through score(): a batch of long completions with repeats and probe collisions gives
    each row what scoring it alone gives (a row's score never depends on its batch)."""
    g = graders.from_dict({"type": "formula", "expression": "0.5 * a + 0.5 * b", "graders": {
        "a": {"type": "numeric", "reference": "{{ item.x }}", "extract": "last_number"},
        "b": {"type": "fuzzy", "reference": "{{ item.x }}", "extract": "boxed"}}})
    texts = [PAD + r"so \boxed{12} and 12", PAD + r"so \boxed{13} and 13", PAD + r"so \boxed{12} and 12",
             "x" + PAD + "12", PAD + r"so \boxed{12} and 12"]
    items = [{"x": "12"}] * len(texts)
    batch = g.score(texts, items).scores.tolist()
    assert batch == [g.score([t], [it]).scores.tolist()[0] for t, it in zip(texts, items, strict=True)]
    assert batch[0] == 1.0 and batch[1] < 1.0
