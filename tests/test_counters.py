"""Work counters: `pairs_scored` counts computed pairs only; cache hits have their own counter."""

from __future__ import annotations

import graders


def test_pairs_scored_excludes_cache_hits() -> None:
    g = graders.from_dict({"type": "numeric", "reference": "{{ item.a }}", "extract": "last_number"})
    rows, items = ["x 1", "x 2", "x 3"], [{"a": "1"}] * 3
    first = g.score(rows, items)
    assert first.counters["pairs_scored"] == 3 and first.counters.get("pairs_from_cache", 0) == 0
    again = g.score(rows, items)
    assert again.counters.get("pairs_scored", 0) == 0 and again.counters["pairs_from_cache"] == 3
