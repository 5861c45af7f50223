"""The cross-batch pair cache: hits, stores and LRU eviction (C-level paths in
plan.LeafNode._score_pairs) against a plain model of an LRU map, and scores against
a grader without the cache."""

from __future__ import annotations

from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders.plan import OptFlags

CFG = {"type": "numeric", "reference": "{{ item.r }}", "extract": "none"}


def _model_batch(lru: OrderedDict, keys: list, values: dict, maxsize: int) -> None:
    """What one batch does to the LRU: hits move to the end (in order), misses are
    appended (in order), then the oldest entries go."""
    hits = [k for k in keys if k in lru]
    for k in hits:
        lru.move_to_end(k)
    for k in keys:
        if k not in lru:
            lru[k] = values[k]
    while len(lru) > maxsize:
        lru.popitem(last=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "4", "x", "5%", "0.5"]),
                                st.sampled_from(["1", "2", "50%", "0.5"])), min_size=1, max_size=10),
             min_size=1, max_size=6),
    st.integers(min_value=1, max_value=12),
)
def test_cache_is_an_lru_of_pairs(batches, maxsize):
    g = graders.from_dict(CFG, opt=OptFlags(cache_entries=maxsize))
    plain = graders.from_dict(CFG, opt=OptFlags(cache=False))
    lru: OrderedDict = OrderedDict()
    for batch in batches:
        outs, refs = [a for a, _ in batch], [r for _, r in batch]
        items = [{"r": r} for r in refs]
        got, want = g.score(outs, items), plain.score(outs, items)
        assert got.scores.tolist() == want.scores.tolist()
        assert got.status.tolist() == want.status.tolist()
        keys = list(dict.fromkeys(batch))
        values = {k: (want.scores[batch.index(k)], int(want.status[batch.index(k)])) for k in keys}
        _model_batch(lru, keys, values, maxsize)
        data = g.plan.cache.data
        assert list(data) == list(lru)
        for k, (score, status) in lru.items():
            assert data[k][:2] == (score, status)
