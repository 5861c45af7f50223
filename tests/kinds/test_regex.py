from __future__ import annotations

import pytest

import graders


def test_search_and_fullmatch() -> None:
    fmt = r"(?s)<think>.*</think>\s*<answer>.*</answer>"
    g = graders.from_dict({"type": "regex", "pattern": fmt})
    gf = graders.from_dict({"type": "regex", "pattern": r"\d+", "mode": "fullmatch"})
    assert g.score(["<think>a</think> <answer>1</answer>", "<answer>1</answer>"]).scores.tolist() == [1, 0]
    assert gf.score(["123", "123a"]).scores.tolist() == [1, 0]


def test_flags() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "^answer", "ignore_case": True, "multiline": True})
    assert g.score(["x\nANSWER: 3", "no"]).scores.tolist() == [1, 0]


def test_bad_pattern_is_a_config_error() -> None:
    with pytest.raises(graders.ConfigError, match="does not compile"):
        graders.from_dict({"type": "regex", "pattern": "(unclosed"})


def test_catastrophic_pattern_times_out_for_that_row_only() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "(a|aa)+$", "timeout": 0.1})
    res = g.score(["a" * 40 + "!", "aaa"])
    assert res.status.tolist() == [2, 0]
    assert res.errors[0][0].kind == "regex_timeout"
    assert res.scores.tolist() == [0.0, 1.0]


# -- every pattern bounded (issue 9, item 1) -------------------------------------------------
HOSTILE = [
    (r"\d*\d*\d*\d*x", "1" * 200, 0),
    (r"(?:a*){16}b", "a" * 31, 0),
    (r"(?s).*<think>.*</think>.*<answer>.*</answer>.*$", "<think></think><answer>" * 80, 0),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), HOSTILE)
def test_hostile_patterns_are_bounded(pattern: str, text: str, expected: float) -> None:
    import time

    g = graders.from_dict({"type": "regex", "pattern": pattern, "timeout": 0.5})
    t0 = time.perf_counter()
    res = g.score([text, "x"])
    took = time.perf_counter() - t0
    assert took < 10.0  # worker start-up included; the per-input bound is 0.5 s x 1.5 + 0.25 s
    if res.status[0] == 2:
        assert res.errors[0][0].kind == "regex_timeout"
    else:
        assert res.status[0] == 0 and res.scores[0] == expected


def test_timeout_is_an_error_never_a_score() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "(a|aa)+$", "timeout": 0.2})
    res = g.score(["a" * 60 + "!", "a" * 45 + "!", "aa"])
    assert res.status.tolist() == [2, 2, 0]
    assert {e[0].kind for e in res.errors[:2]} == {"regex_timeout"}
    assert res.scores.tolist()[2] == 1.0


def test_hard_bound_kills_a_worker_that_ignores_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process deadline holds even when the engine's own timeout never fires."""
    import time

    from graders.kinds import regex as rx

    res = rx._pool().map(time.sleep, [30.0, 0.0], timeout_s=0.5)
    assert [r.ok for r in res] == [False, True]
    assert res[0].error_kind == "timeout"


@pytest.mark.parametrize(("pattern", "engine"), [
    (r"\\boxed\{|####|answer is", "literal"),
    (r"(?s)<think>.*</think>\s*<answer>.*</answer>", "linear"),
    (r"(?s).*<think>.*</think>.*<answer>.*</answer>.*$", "linear"),
    (r"(?s)^\s*<think>.*</think>\s*<answer>.*</answer>\s*$", "linear"),  # benchmarks/bench_engine.py
    (r"\d*\d*\d*\d*x", "bounded"),
    (r"(?:a*){16}b", "bounded"),
    (r"<think>.*</think>", "bounded"),  # `.` stops at newlines: not a free gap
    ("(a|aa)+$", "bounded"),
])
def test_engine_choice(pattern: str, engine: str) -> None:
    from graders.kinds.regex import RegexConfig

    assert RegexConfig(type="regex", pattern=pattern).engine() == engine


def test_r1_format_pattern_is_in_process_and_correct() -> None:
    fmt = r"(?s)<think>.*</think>\s*<answer>.*</answer>"
    g = graders.from_dict({"type": "regex", "pattern": fmt})
    rows = ["<think>a</think> \n <answer>1</answer>", "<think>a</think>x<answer>1</answer>",
            "<answer>1</answer><think>a</think>", "<think></think><think></think>\t<answer></answer>",
            "</think> <answer></answer><think>", "<think>x</think><answer>1</answer><think>"]
    import re

    assert g.score(rows).scores.tolist() == [float(re.search(fmt, r) is not None) for r in rows]


def test_explain_shows_the_pattern_and_engine() -> None:
    g = graders.from_dict({"type": "regex", "pattern": r"\d*\d*x"})
    assert "pattern='\\\\d*\\\\d*x'" in g.explain_plan() and "engine=bounded" in g.explain_plan()
    tree = g.explain("12x")
    assert "pattern=" in tree["detail"]


def test_cross_batch_cache_keeps_no_whole_completions() -> None:
    long_rows = [f"{i} " * 200 for i in range(50)]
    g = graders.from_dict({"type": "regex", "pattern": "####"})  # scored directly: nothing cached
    g.score(long_rows + ["short ####"])
    (leaf,) = [n for n in _walk(g.plan) if getattr(n, "cache", None) is not None]
    assert len(leaf.cache.data) == 0
    ge = graders.from_dict({"type": "regex", "pattern": "[0-9]", "extract": "boxed"})
    ge.score([r * 2 + "\\boxed{" + r + "}" for r in long_rows] + ["\\boxed{7}"])
    (leaf,) = [n for n in _walk(ge.plan) if getattr(n, "cache", None) is not None]
    assert list(leaf.cache.data) == [("7", None)]  # answers longer than 256 chars are not kept


def _walk(node):  # noqa: ANN001, ANN202
    yield node
    for _, child in getattr(node, "children", ()):
        yield from _walk(child)


# -- the in-process engines agree with `re` (property test) -----------------------------------
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ATOMS = ["a", "b", "<", ">", "/", " ", r"\s*", r"\s+", "[ab]", "[^<]", r"\d", "x", r"a*", r"[xy]{0,2}"]


@settings(max_examples=400, deadline=None)
@given(segs=st.lists(st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=5), min_size=1, max_size=3),
       lead=st.sampled_from(["", ".*", "^", r"^\s*", r"\A", "^.*"]),
       trail=st.sampled_from(["", ".*$", "$", r"\s*$", r"\Z", r"\s*\Z"]),
       mode=st.sampled_from(["search", "fullmatch"]), multiline=st.booleans(),
       text=st.text(alphabet="ab<>/ x1y\n", max_size=40))
def test_fast_engines_agree_with_re(segs: list[list[str]], lead: str, trail: str, mode: str, multiline: bool,
                                    text: str) -> None:
    import re

    from graders.kinds.regex import plan_pattern

    pattern = "(?s)" + lead + ".*".join("".join(s) for s in segs) + trail
    flags = re.MULTILINE if multiline else 0
    engine, fn = plan_pattern(pattern, flags, mode)
    if fn is not None:
        ref = re.compile(pattern, flags)
        want = (ref.search if mode == "search" else ref.fullmatch)(text) is not None
        assert fn(text) == want, (pattern, mode, multiline, engine)


@settings(max_examples=300, deadline=None)
@given(alts=st.lists(st.text(alphabet="ab#{", min_size=0, max_size=6), min_size=1, max_size=6),
       long=st.booleans(), mode=st.sampled_from(["search", "fullmatch"]),
       text=st.text(alphabet="ab#{x", max_size=60))
def test_literal_alternation_agrees_with_re(alts: list[str], long: bool, mode: str, text: str) -> None:
    """The `literal` engine (reverse `rfind` for short needles, `in` beyond 32 chars
    or 4 alternatives) decides exactly what `re` does."""
    import re

    from hypothesis import assume

    from graders.kinds.regex import plan_pattern

    if long:
        alts = [*alts, "ab" * 17]  # 34 chars: the forward search
        text = text + "ab" * 17 if len(text) % 2 else text
    pattern = "|".join(re.escape(a) for a in alts)
    engine, fn = plan_pattern(pattern, 0, mode)
    assume(engine == "literal")  # alternatives with a common prefix parse as something else
    assert fn is not None
    ref = re.compile(pattern)
    assert fn(text) == ((ref.search if mode == "search" else ref.fullmatch)(text) is not None), (alts, text)


@settings(max_examples=300, deadline=None)
@given(alts=st.lists(st.text(alphabet="ab#{", min_size=0, max_size=6), min_size=1, max_size=6),
       long=st.booleans(), texts=st.lists(st.text(alphabet="ab#{x", max_size=40), max_size=12))
def test_literal_column_agrees_with_re(alts: list[str], long: bool, texts: list[str]) -> None:
    """A batch through the literal engine's column (C-level maps, later alternatives
    searched only where earlier ones missed) is `re.search` per text, in row order."""
    import re

    from hypothesis import assume

    from graders.kinds.regex import plan_pattern

    if long:
        alts = [*alts, "ab" * 17]
        texts = [t + "ab" * 17 if i % 2 else t for i, t in enumerate(texts)]
    pattern = "|".join(re.escape(a) for a in alts)
    engine, fn = plan_pattern(pattern, 0, "search")
    assume(engine == "literal" and hasattr(fn, "column"))  # ("" is the always-true matcher)
    got = fn.column(texts).tolist()  # type: ignore[union-attr]
    ref = re.compile(pattern)
    assert got == [float(ref.search(t) is not None) for t in texts]
    g = graders.from_dict({"type": "regex", "pattern": pattern})
    if texts:
        assert g.score(texts).scores.tolist() == got


_TOKENS = ["a", "b", "<", ">", "/", " ", "x", "y", "1", "\n", "ab", "</", "a>", "<a", " <", "q" * 33, "<b>"]


@settings(max_examples=600, deadline=None)
@example(segs=[["<", r"\s*", "a"], ["a"]], lead="", trail="", mode="search", multiline=False,
         tokens=["<", " ", "a"])  # the only 'a' after '<\s*a' is inside it: no match
@example(segs=[["<", r"\s+", "a"], ["a", r"\s*", ">"]], lead="", trail=r"\s*$", mode="search", multiline=False,
         tokens=["<", " ", "a", " ", ">", " ", "<", " ", "a", ">", "\n"])
@given(segs=st.lists(st.lists(st.sampled_from([*_ATOMS, "</", "<b>", "q" * 33, "ab<"]), min_size=1, max_size=4),
                     min_size=1, max_size=4),
       lead=st.sampled_from(["", "^", r"^\s*", r"\A"]),
       trail=st.sampled_from(["", "$", r"\s*$", r"\Z"]),
       mode=st.sampled_from(["search", "fullmatch"]), multiline=st.booleans(),
       tokens=st.lists(st.sampled_from(_TOKENS), max_size=30))
def test_chain_engine_agrees_with_re_on_texts_made_of_its_pieces(segs: list[list[str]], lead: str, trail: str,
                                                                 mode: str, multiline: bool,
                                                                 tokens: list[str]) -> None:
    """Texts assembled from the pattern's own pieces, so that segments match (often several
    times, overlapping, out of order): the chain engine, searched from the end where every
    segment has a literal head, else from the start, is `re` on every text."""
    import re

    from graders.kinds.regex import plan_pattern

    pattern = "(?s)" + lead + ".*".join("".join(s) for s in segs) + trail
    flags = re.MULTILINE if multiline else 0
    engine, fn = plan_pattern(pattern, flags, mode)
    if fn is None:
        return
    ref = re.compile(pattern, flags)
    search = ref.search if mode == "search" else ref.fullmatch
    text = "".join(tokens)
    for t in (text, text + "\n", "<b>" + text + "</a>"):
        assert fn(t) == (search(t) is not None), (pattern, mode, multiline, engine, t)
