"""Hostile rows mixed among every example's labelled rows: nothing crashes, is lost, or moves.

For each `examples/*.yaml` whose kinds run locally (no judge endpoint, no sandbox), a fixed
list of hostile rows (lone surrogates, NUL bytes, megabyte completions, 100k-word repetition,
100k-deep JSON, 5,000-digit integers, NaN literals, duplicate keys, non-dict items, non-string
samples, broken attempts and token ids, emoji/RTL/CJK text, empty and punctuation-only text)
is interleaved with the labelled rows. The call must return one finite score per row (NaN only
where the grader says `on_error: skip`), and every labelled row must score exactly what it
scores alone, with a separately loaded grader (so no cache carries the answer over).
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import graders
from graders.testing.runner import _node_kind, _plan_nodes, has_remote_nodes

EXAMPLES = Path(__file__).parents[2] / "examples"
NEEDS_SANDBOX = {"code", "python"}


def _local_examples() -> list[Path]:
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if not path.with_suffix(".labeled.jsonl").exists():
            continue
        g = graders.load(path)
        if has_remote_nodes(g) or {_node_kind(n) for n in _plan_nodes(g).values()} & NEEDS_SANDBOX:
            continue
        out.append(path)
    return out


def hostile_rows(item0: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(sample, item) pairs; items are the first labelled item plus a marker, so no hostile row
    joins a labelled row's group (group_length groups equal items)."""
    def it(k: int) -> dict[str, Any]:
        return {**item0, "_hostile": k}

    deep = "[" * 100_000 + "]" * 100_000
    return [
        ("\ud800 lone surrogate \udfff", it(1)),
        ("nul\x00byte\x00<answer>\x00</answer>", it(2)),
        ("word " * 2_000_000, it(3)),                                # 10 MB
        ("the the the " * 33_400, it(4)),                            # 100k words, one trigram
        (deep, it(5)),
        ('{"a": ' + "9" * 5000 + "}", it(6)),
        ('{"a": NaN, "b": Infinity, "c": -Infinity}', it(7)),
        ('{"a": 1, "a": 2}', it(8)),
        ("```json\n" + deep + "\n```", it(9)),
        ("x," * 5_000_000, it(10)),                                  # 10 MB: one whitespace word, 10M tokens
        ("ok", "not a dict"),
        ("ok", None),
        ("ok", [1, 2]),
        (12345, it(11)),
        (None, it(12)),
        (b"bytes", it(13)),
        ({"output_text": "x", "attempts": "not a list"}, it(14)),
        ({"output_text": "x", "attempts": [1, None, {"no": "text"}]}, it(15)),
        ({"output_text": "x", "attempts": ["a"] * 100_000}, it(16)),
        ({"output_text": "x", "attempts": ["\ud800", "\x00"]}, it(17)),
        ({"output_text": "x y z", "completion_ids": "abc"}, it(18)),
        ({"output_text": "x y z", "completion_ids": [1.5, "a", None]}, it(19)),
        ({"output_text": "x y z", "completion_ids": [[1], [2]]}, it(20)),
        ({"no_output_text": 1}, it(21)),
        ({"output_text": None}, it(22)),
        ("😀" * 5000, it(23)),
        ("<think>" + "مرحبا بالعالم " * 200 + "</think>", it(24)),
        ("<think>" + "你好世界" * 1000 + "</think>\\boxed{72}", it(25)),
        ("", it(26)),
        ("!!! ??? ... ,,, +-", it(27)),
        ("   \n\t  ", it(28)),
        ("ok", {k: None for k in item0}),
        ("ok", {}),
        ("\\boxed{" + "1" * 5000 + "}", it(29)),
        ("<answer>" + "\\boxed{1}" * 2000 + "</answer>", it(30)),
    ]


def _skip_allowed(path: Path) -> bool:
    return re.search(r"on_error:\s*skip", path.read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize("path", _local_examples(), ids=lambda p: p.stem)
def test_hostile_rows_never_crash_lose_or_shift_labelled_rows(path: Path) -> None:
    rows = [json.loads(x) for x in path.with_suffix(".labeled.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    samples = [r["sample"] for r in rows]
    items = [r.get("item") for r in rows]
    alone = graders.load(path).score(samples, items).scores

    hostile = hostile_rows(items[0] if isinstance(items[0], dict) else {})
    mixed_s: list[Any] = []
    mixed_i: list[Any] = []
    where: list[int] = []
    for k in range(max(len(rows), len(hostile))):  # interleaved: labelled, hostile, labelled, ...
        if k < len(rows):
            where.append(len(mixed_s))
            mixed_s.append(samples[k])
            mixed_i.append(items[k])
        if k < len(hostile):
            mixed_s.append(hostile[k][0])
            mixed_i.append(hostile[k][1])

    t0 = time.perf_counter()
    res = graders.load(path).score(mixed_s, mixed_i)
    elapsed = time.perf_counter() - t0

    assert len(res.scores) == len(mixed_s) == len(res.errors) == len(res.status)
    got = res.scores[where]
    same = (got == alone) | (np.isnan(got) & np.isnan(alone))
    assert same.all(), [(i, float(alone[i]), float(got[i])) for i in np.flatnonzero(~same)]
    finite = np.isfinite(res.scores)
    if not _skip_allowed(path):
        bad = np.flatnonzero(~finite)
        assert not bad.size, [(int(j), repr(mixed_s[j])[:60], res.errors[j]) for j in bad]
    assert not np.isinf(res.scores).any()
    assert elapsed < 60, f"{elapsed:.1f} s for {len(mixed_s)} rows"  # bounded; a hang would be minutes


ALL_LOCAL_KINDS = {"type": "weighted", "graders": {
    "overlong": {"type": "length", "shape": "overlong", "max_length": 50, "buffer": 10, "unit": "words"},
    "target": {"type": "length", "shape": "target", "target": 20, "unit": "chars"},
    "ids": {"type": "length", "shape": "overlong", "max_length": 50, "buffer": 10, "unit": "tokens"},
    "rep_words": {"type": "repetition"},
    "rep_chars": {"type": "repetition", "unit": "chars", "ngram": 5},
    "rep_ids": {"type": "repetition", "unit": "tokens"},
    "lang": {"type": "language", "language": "en"},
    "json": {"type": "json", "fields": {"a": {"type": "numeric", "reference": "{{ item.answer }}"}}},
    "bleu": {"type": "text_similarity", "evaluation_metric": "bleu", "reference": "{{ item.answer }}"},
    "rouge": {"type": "text_similarity", "evaluation_metric": "rouge_l", "reference": "{{ item.answer }}"},
    "fuzzy": {"type": "text_similarity", "evaluation_metric": "fuzzy_match", "reference": "{{ item.answer }}"},
    "revise": {"type": "self_correction", "alpha": 2.0,
               "grader": {"type": "exact", "reference": "{{ item.answer }}"}},
    "kimi": {"type": "group_length", "unit": "words",
             "correct": {"type": "exact", "reference": "{{ item.answer }}"}},
}}


def test_every_hostile_row_gets_a_finite_score_from_every_issue_10_kind() -> None:
    """Each hostile row alone, and all of them in one batch, through every issue-10 kind."""
    g = graders.from_dict({"grader": ALL_LOCAL_KINDS})
    rows = hostile_rows({"question": "q", "answer": "72"})
    for sample, item in rows:
        t0 = time.perf_counter()
        res = g.score([sample], [item])
        assert len(res.scores) == 1 and math.isfinite(res.scores[0]), (repr(sample)[:60], res.errors)
        assert time.perf_counter() - t0 < 30, repr(sample)[:60]
    together = g.score([s for s, _ in rows], [i for _, i in rows])
    assert len(together.scores) == len(rows) and np.isfinite(together.scores).all()
