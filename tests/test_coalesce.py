from __future__ import annotations

import asyncio
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import graders
from graders.coalesce import Coalescer, CoalescerClosed
from graders.errors import ScoringError

TREE = {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.n }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}


def _row(i: int) -> tuple[str, dict[str, int]]:
    # Every third row is wrong, every fifth is unformatted: each caller's row is recognisable.
    text = f"<answer>{i if i % 3 else i + 1}</answer>" if i % 5 else str(i)
    return text, {"n": i}


def _expected(i: int) -> float:
    return 0.0 if i % 5 == 0 or i % 3 == 0 else 1.0


def test_many_threads_each_get_their_own_row() -> None:
    g = graders.from_dict({"grader": TREE})
    with Coalescer(g, window_ms=2.0) as c:
        def one(i: int) -> tuple[int, float, float]:
            s, it = _row(i)
            r = c.score([s], [it])
            assert len(r) == 1
            return i, float(r.scores[0]), float(r.components["format"][0])

        with ThreadPoolExecutor(32) as pool:
            out = list(pool.map(one, range(2000)))
        assert c.rows == 2000 and c.batches < 2000  # rows were shared between calls
    for i, score, fmt in out:
        assert score == _expected(i), i
        assert fmt == (0.0 if i % 5 == 0 else 1.0)


def test_coroutines_on_one_loop_are_batched() -> None:
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=5.0)

    async def main() -> list[float]:
        rs = await asyncio.gather(*(c.ascore(*map(lambda x: [x], _row(i))) for i in range(300)))
        return [float(r.scores[0]) for r in rs]

    assert asyncio.run(main()) == [_expected(i) for i in range(300)]
    assert c.batches <= 10
    c.close()


def test_multi_row_requests_and_errors_reach_only_their_caller() -> None:
    g = graders.from_dict({"type": "exact", "reference": "{{ item.a }}", "on_error": "raise"})
    c = Coalescer(g, window_ms=20.0)
    barrier = threading.Barrier(3)
    results: dict[str, object] = {}

    def call(name: str, samples: list[str], items: list[dict[str, str]]) -> None:
        barrier.wait()
        try:
            results[name] = c.score(samples, items).scores.tolist()
        except ScoringError as exc:
            results[name] = exc

    ts = [threading.Thread(target=call, args=("a", ["x", "y"], [{"a": "x"}, {"a": "x"}])),
          threading.Thread(target=call, args=("bad", ["x"], [{}])),  # missing field + on_error: raise
          threading.Thread(target=call, args=("c", ["z"], [{"a": "z"}]))]
    for t in ts:
        t.start()
    for t in ts:
        t.join(10)
    assert results["a"] == [1.0, 0.0] and results["c"] == [1.0]
    assert isinstance(results["bad"], ScoringError)
    c.close()


def test_close_drains_and_refuses_new_work_without_hanging() -> None:
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=50.0)
    futs = [c.submit(*map(lambda x: [x], _row(i))) for i in range(1, 50)]
    c.close(timeout=5)
    assert [float(f.result(timeout=5).scores[0]) for f in futs] == [_expected(i) for i in range(1, 50)]
    with pytest.raises(CoalescerClosed):
        c.submit(["x"], [{}])


def test_pickles_as_its_configuration() -> None:
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=1.0, max_batch=7)
    c.score(["<answer>1</answer>"], [{"n": 1}])
    back = pickle.loads(pickle.dumps(c))
    assert back.max_batch == 7 and back.score(["<answer>2</answer>"], [{"n": 2}]).scores[0] == 1.0
    c.close()
    back.close()
