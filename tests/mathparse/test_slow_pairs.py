"""Pairs that need sympy: trig identities decided within the default time limit, and the
cross-batch verdict cache (a pair is sent to the pool once; a timeout is kept as a timeout)."""

from __future__ import annotations

import pytest

from graders.mathparse import MathChecker, Options
from graders.mathparse import check as C
from graders.pool import Result


@pytest.mark.parametrize("k", [32, 64, 96])
def test_multiple_angle_identity_within_default_timeout(k: int) -> None:
    C._VERDICTS.clear()
    got = MathChecker(Options()).check([(rf"\sin^2({k}x)+\cos^2({k}x)", "1")])[0]
    assert got.error is None, got
    assert got.equal, got


def test_trig_identities_and_non_identities() -> None:
    C._VERDICTS.clear()
    pairs = [
        (r"2\sin(40x)\cos(40x)", r"\sin(80x)", True),
        (r"\cos^2(50x)-\sin^2(50x)", r"\cos(100x)", True),
        (r"\sin^2(32x)+\cos^2(32x)+10^{-300}", "1", False),
        (r"\sin(32x)\cos(32x)", r"\sin(64x)", False),
        (r"\sec^2 x - \tan^2 x", "1", True),
    ]
    got = MathChecker(Options(), timeout_s=30).check([(a, b) for a, b, _ in pairs])
    assert [v.equal for v in got] == [e for *_, e in pairs], got
    assert all(v.error is None for v in got), got


class _CountingPool:
    def __init__(self, results: list[Result]) -> None:
        self.calls = 0
        self.results = results

    def map(self, fn, items, timeout_s):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.results[: len(items)]


def test_second_batch_does_not_rerun_sympy(monkeypatch: pytest.MonkeyPatch) -> None:
    C._VERDICTS.clear()
    pair = (r"\sin^2(32x)+\cos^2(32x)", "1")
    first = MathChecker(Options()).check([pair])[0]
    assert first.equal and first.error is None

    def no_pool():  # type: ignore[no-untyped-def]
        raise AssertionError("the pool was asked again")

    monkeypatch.setattr(C, "get_pool", no_pool)
    again = MathChecker(Options()).check([pair, (r"\sin^2(32x) + \cos^2(32x)", "1")])
    assert [v.equal for v in again] == [True, True]


def test_timeout_is_kept_as_timeout_for_the_same_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    C._VERDICTS.clear()
    fake = _CountingPool([Result(ok=False, error_kind="timeout", message="ran past 5 s")])
    monkeypatch.setattr(C, "get_pool", lambda: fake)
    pair = (r"\sin^2(7y)+\cos^2(7y) + \ln(y) - \ln(y)", "1")
    v1 = MathChecker(Options(), timeout_s=5).check([pair])[0]
    v2 = MathChecker(Options(), timeout_s=5).check([pair])[0]
    assert v1.error == v2.error == "timeout"  # an error row, never a 0 verdict
    assert fake.calls == 1
    MathChecker(Options(), timeout_s=30).check([pair])  # a longer limit tries again
    assert fake.calls == 2


def test_other_errors_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    C._VERDICTS.clear()
    fake = _CountingPool([Result(ok=False, error_kind="crashed", message="worker died")])
    monkeypatch.setattr(C, "get_pool", lambda: fake)
    pair = (r"\sin^2(9y)+\cos^2(9y) + \ln(y) - \ln(y)", "1")
    for _ in range(2):
        assert MathChecker(Options()).check([pair])[0].error == "crashed"
    assert fake.calls == 2
