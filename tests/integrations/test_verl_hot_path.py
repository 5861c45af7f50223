"""The verl adapter's per-sample hot path: the item it builds and the one-row coalescer entry."""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders.integrations.verl import _item, _plain, verl_compute_score

_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
    st.integers(-5, 5).map(np.int64), st.floats(-2, 2).map(np.float32), st.booleans().map(np.bool_),
    st.text(max_size=3).map(np.str_), st.lists(st.integers(), max_size=2), st.integers(0, 3).map(lambda n: np.arange(n)),
)


def _item_by_value(data_source: Any, ground_truth: Any, extra_info: Any) -> dict[str, Any]:
    """The item the adapter built before its fast path: every value through _plain."""
    item = {k: _plain(v) for k, v in extra_info.items()} if isinstance(extra_info, dict) else {}
    item["ground_truth"] = _plain(ground_truth)
    item["data_source"] = _plain(data_source)
    return item


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b if not isinstance(a, np.ndarray) else bool((a == b).all()))


@settings(max_examples=400, deadline=None)
@given(extra=st.one_of(st.none(), st.just("not a dict"), st.dictionaries(st.text(max_size=4), _VALUES, max_size=4)),
       ordered=st.booleans(), gt=_VALUES, ds=_VALUES)
def test_item_equals_the_per_value_reading(extra: Any, ordered: bool, gt: Any, ds: Any) -> None:
    if ordered and isinstance(extra, dict):
        extra = OrderedDict(extra)
    got, want = _item(ds, gt, extra), _item_by_value(ds, gt, extra)
    assert type(got) is dict and list(got) == list(want)
    assert all(_same(got[k], want[k]) for k in want), (got, want)
    if isinstance(extra, dict):
        assert got is not extra and "ground_truth" not in extra  # the caller's dict is not touched


TREE = {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.ground_truth }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}


def test_64_threads_one_sample_per_call_get_their_own_rows_in_shared_batches() -> None:
    g = graders.from_dict({"grader": TREE})
    on = verl_compute_score(g)
    off = verl_compute_score(graders.from_dict({"grader": TREE}), coalesce=False)

    def call(fn: Any, i: int) -> dict[str, float]:
        text = f"<answer>{i if i % 3 else i + 1}</answer>" if i % 5 else str(i)
        return fn(data_source="t", solution_str=text, ground_truth=str(i), extra_info={"index": np.int64(i)})

    with ThreadPoolExecutor(64) as pool:
        got = list(pool.map(lambda i: call(on, i), range(1280)))
    assert got == [call(off, i) for i in range(1280)]
    assert [r["score"] for r in got[:6]] == [0.0, 1.0, 1.0, 0.0, 1.0, 0.0]
    c = on.state.scorer._coalescer
    assert c.rows == 1280 and c.batches <= 1280 // 4  # calls shared batches
