from __future__ import annotations

import asyncio
import pickle
import signal
import threading
import time
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


def test_leader_path_64_threads_each_get_their_own_row_by_content() -> None:
    # Flat combining: callers lead batches on their own threads; each must get exactly its row.
    g = graders.from_dict({"grader": TREE})
    calls: list[int] = []

    def fmt(res: object) -> list[tuple[float, float]]:
        calls.append(1)
        r = res  # type: ignore[assignment]
        col = r.components.get("correct")  # type: ignore[attr-defined]  # absent when every row was gated
        correct = col.tolist() if col is not None else [float("nan")] * len(r)  # type: ignore[arg-type]
        return list(zip(r.scores.tolist(), correct, strict=True))  # type: ignore[attr-defined]

    with Coalescer(g, window_ms=2.0) as c:
        def one(i: int) -> tuple[int, float, float]:
            s, it = _row(i)
            (row,) = c.score_rows([s], [it], fmt)
            return i, row[0], row[1]

        with ThreadPoolExecutor(64) as pool:
            out = list(pool.map(one, range(3000)))
        assert c.rows == 3000 and c.batches < 3000
        assert len(calls) == c.batches  # fmt once per batch, not per caller
    for i, score, correct in out:
        assert score == _expected(i), i
        if i % 5:  # formatted rows ran the correctness node: right unless the row was made wrong
            assert correct == (0.0 if i % 3 == 0 else 1.0), i


def test_max_batch_overflow_hands_leadership_on() -> None:
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=5.0, max_batch=4)
    sizes: list[int] = []
    orig = g.score

    def spy(samples, items):  # type: ignore[no-untyped-def]
        sizes.append(len(samples))
        return orig(samples, items)

    c.grader = type("G", (), {"score": staticmethod(spy)})()
    with ThreadPoolExecutor(64) as pool:
        out = list(pool.map(lambda i: float(c.score(*map(lambda x: [x], _row(i))).scores[0]), range(640)))
    assert out == [_expected(i) for i in range(640)]
    assert max(sizes) <= 4 and sum(sizes) == 640
    c.close()


class _Explodes:
    """Raises for any batch holding a 'boom' row; scores the rest with the real grader."""

    def __init__(self, g: object) -> None:
        self.g = g

    def score(self, samples: list[str], items: list[dict]):  # type: ignore[no-untyped-def]
        if "boom" in samples:
            raise ZeroDivisionError("boom")
        return self.g.score(samples, items)  # type: ignore[attr-defined]


def test_a_batch_that_raises_strands_nobody_and_reaches_only_its_caller() -> None:
    c = Coalescer(_Explodes(graders.from_dict({"grader": TREE})), window_ms=5.0)

    def one(i: int) -> object:
        s, it = _row(i)
        try:
            return float(c.score(["boom" if i % 50 == 7 else s], [it]).scores[0])
        except ZeroDivisionError as exc:
            return exc

    with ThreadPoolExecutor(64) as pool:
        out = list(pool.map(one, range(1000), timeout=60))
    for i, r in enumerate(out):
        if i % 50 == 7:
            assert isinstance(r, ZeroDivisionError), i
        else:
            assert r == _expected(i), i
    c.close()


def test_forked_child_leads_its_own_batches() -> None:
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork here")
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g)
    assert c.score(*map(lambda x: [x], _row(1))).scores[0] == 1.0  # parent state exists before the fork
    ctx = mp.get_context("fork")
    q = ctx.Queue()

    def child() -> None:
        with ThreadPoolExecutor(8) as pool:
            q.put(list(pool.map(lambda i: float(c.score(*map(lambda x: [x], _row(i))).scores[0]), range(1, 40))))

    p = ctx.Process(target=child)
    p.start()
    got = q.get(timeout=60)
    p.join(30)
    assert got == [_expected(i) for i in range(1, 40)] and p.exitcode == 0
    c.close()


@pytest.mark.parametrize("ran_flags", [False, True])
def test_verl_batch_formatter_matches_the_per_row_one(ran_flags: bool) -> None:
    # The coalesced verl path formats a whole batch at once (rows); it must equal row() per row,
    # gated rows (component NaN -> 0.0) and error rows included.
    from graders.integrations.verl import verl_compute_score

    g = graders.from_dict({"grader": TREE})
    state = verl_compute_score(g, ran_flags=ran_flags).state  # type: ignore[attr-defined]
    rows = [_row(i) for i in range(40)]
    res = g.score([s for s, _ in rows], [it for _, it in rows[:-1]] + [{}])  # last row: no reference
    assert res.n_error >= 1 and bool((res.components["correct"] != res.components["correct"]).any())
    assert state.rows(res) == [state.row(res, i) for i in range(len(res))]


def test_close_while_blocking_callers_are_in_flight_strands_nobody() -> None:
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=5.0)
    closed = threading.Event()

    def one(i: int) -> tuple[bool, object]:
        if i == 300:
            c.close()
            closed.set()
        after = closed.is_set()
        s, it = _row(i)
        try:
            return after, float(c.score([s], [it]).scores[0])
        except CoalescerClosed as exc:
            return after, exc

    with ThreadPoolExecutor(64) as pool:
        out = list(pool.map(one, range(600), timeout=60))  # nobody hangs
    assert closed.is_set()
    for i, (after, r) in enumerate(out):
        if after:  # called after close(): refused
            assert isinstance(r, CoalescerClosed), i
        elif not isinstance(r, CoalescerClosed):  # before, or racing it: its own row
            assert r == _expected(i), i
    assert sum(not isinstance(r, CoalescerClosed) for _, r in out) >= 200


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
def test_an_interrupted_waiting_caller_still_leads_and_wakes_the_rest() -> None:
    # Callers are woken as a chain (each woken caller wakes the next) and a queued caller may be
    # named leader: one interrupted while waiting (KeyboardInterrupt in the main thread) must
    # not leave early and strand the others. It gets its interrupt once its batch is done.
    g = graders.from_dict({"grader": TREE})
    entered, go = threading.Event(), threading.Event()

    class Slow:  # the first batch blocks until `go`, so the main thread queues behind it
        def score(self, samples: list[str], items: list[dict[str, int]]) -> object:
            if not entered.is_set():
                entered.set()
                go.wait(10)
            return g.score(samples, items)

    class Interrupted(Exception):
        pass

    def on_alarm(signum: int, frame: object) -> None:
        raise Interrupted

    c = Coalescer(Slow(), window_ms=1.0)
    got: dict[int, float] = {}

    def one(i: int) -> None:
        s, it = _row(i)
        got[i] = float(c.score([s], [it]).scores[0])

    def others() -> None:  # once the main thread is queued (head of the queue): eight more callers
        while not c._queue:
            time.sleep(0.001)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(2, 10)]
        for t in threads:
            t.start()
        while len(c._queue) < 9:
            time.sleep(0.001)
        time.sleep(0.2)  # the alarm has fired by now
        go.set()
        for t in threads:
            t.join(10)

    first = threading.Thread(target=one, args=(1,))
    first.start()
    assert entered.wait(10)
    helper = threading.Thread(target=others)
    helper.start()
    old = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        s, it = _row(0)
        with pytest.raises(Interrupted):
            c.score([s], [it])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    helper.join(20)
    first.join(20)
    assert got == {i: _expected(i) for i in range(1, 10)}
    assert c.batches == 2  # the first caller's batch, then the main thread led the other nine
    c.close()


def test_a_thread_that_stops_calling_is_waited_for_once_not_every_batch() -> None:
    # The leader waits for the threads of the last batch to come back. One that never does
    # (here: calls once, then leaves) costs one window, after which it is not waited for again.
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=200.0)
    start = threading.Barrier(8)

    def caller(t: int) -> list[bool]:
        start.wait()
        calls = 1 if t == 0 else 30
        out = []
        for k in range(calls):
            i = t * 100 + k
            s, it = _row(i)
            out.append(float(c.score([s], [it]).scores[0]) == _expected(i))
        return out

    t0 = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(caller, range(8), timeout=60))
    elapsed = time.monotonic() - t0
    assert all(all(r) for r in results)
    # Waiting a window for it on each of the ~30 batches would take >= 6 s.
    assert elapsed < 3.0, elapsed
    c.close()


def test_one_caller_at_a_time_on_changing_threads_pays_no_window() -> None:
    # A serial stream whose calls land on different threads (a pool's workers taking turns):
    # whoever comes next counts as the last batch's caller coming back, so nobody waits out a
    # window for the thread that went idle.
    g = graders.from_dict({"grader": TREE})
    c = Coalescer(g, window_ms=300.0)
    got: list[float] = []

    def one(i: int) -> None:
        s, it = _row(i)
        got.append(float(c.score([s], [it]).scores[0]))

    go = [threading.Event() for _ in range(20)]
    done = [threading.Event() for _ in range(20)]

    def worker(i: int) -> None:  # alive throughout: every call comes from a distinct live thread
        go[i].wait(30)
        one(i)
        done[i].set()
        go[0].wait(30)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    for i in range(20):
        go[i].set()
        assert done[i].wait(30)
    elapsed = time.monotonic() - t0
    for t in threads:
        t.join(30)
    assert got == [_expected(i) for i in range(20)]
    assert elapsed < 3.0, elapsed  # a window per call would be >= 6 s
    assert c.batches == 20
    c.close()
