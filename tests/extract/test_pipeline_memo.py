"""Pipelines keep their last step's results for short texts (a memo): the candidates must be
exactly those of running every step on every text, whatever the order, the repeats, the memo's
overflow, and a programmatic last step (not kept: it may be impure) is called every time."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract import Extractor, compile_extractor
from graders.extract import spec as spec_mod
from graders.extract.spec import _reduce

SPECS = [
    [{"type": "xml_tag", "tag": "answer"}, "auto"],
    ["strip_think", {"type": "xml_tag", "tag": "answer", "multiple": "last"}, "boxed"],
    [{"type": "xml_tag", "tag": "answer", "multiple": "reject"}, "last_number"],
    ["strip_think", "auto"],
]

PIECES = [
    "<answer>", "</answer>", "<ANSWER>", "<answer x='1'>", "<answer/>", "<think>", "</think>",
    "\\boxed{12}", "\\boxed{13}", "The final answer is ", "12", "13", " ", "\n", ".", "$", "x = 4",
    "**7**", "A", "a" * 300,
]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def naive(spec: list) -> callable:
    """Every step on every text, in order (the pipeline's definition, no memo, no shortcut)."""
    steps = [compile_extractor(s) for s in spec]

    def run(text: str) -> tuple[str, ...]:
        cur = [text]
        for step in steps[:-1]:
            cur = [c for t in cur for c in _reduce(step(t), step.policy)]
            if not cur:
                return ()
        return tuple(c for t in cur for c in steps[-1](t))

    return run


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8), st.sampled_from(range(len(SPECS))))
def test_memo_gives_the_pipeline_candidates(batch: list[str], which: int) -> None:
    spec = SPECS[which]
    ex, ref = compile_extractor(spec), naive(spec)
    for text in batch + batch[::-1] + batch:  # the later passes read from the memo
        assert ex(text) == ref(text)
    assert pickle.loads(pickle.dumps(ex))(batch[0]) == ref(batch[0])


def test_memo_overflow_starts_over(monkeypatch) -> None:
    monkeypatch.setattr(spec_mod, "_MEMO_SIZE", 3)
    spec = [{"type": "xml_tag", "tag": "answer"}, "auto"]
    ex, ref = compile_extractor(spec), naive(spec)
    batch = [f"<answer>The answer is {i}.</answer>" for i in range(10)]
    for text in batch * 3:
        assert ex(text) == ref(text)


def test_a_programmatic_last_step_is_not_kept() -> None:
    calls: list[str] = []

    def counting(text: str) -> tuple[str, ...]:
        calls.append(text)
        return (f"{text}#{len(calls)}",)  # impure on purpose: a new value each call

    last = Extractor(counting, ("counting",), "all_must_agree", "counting")
    ex = compile_extractor([{"type": "xml_tag", "tag": "answer"}, last])
    assert ex("<answer>7</answer>") == ("7#1",)
    assert ex("<answer>7</answer>") == ("7#2",)
    assert calls == ["7", "7"]
