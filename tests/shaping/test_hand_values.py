"""Every shaping kind and option against values worked out by hand from the published formula.

The arithmetic is written next to each case; nothing here calls the library to get an expected
value. Where a reference implementation's own test suite has a case, its inputs and expected
values are used as data and the source is named:

- TRL: huggingface/trl tests/test_rewards.py (TestSoftOverlongPunishmentReward,
  TestCosineScaledReward) and the docstring example of trl/rewards/other_rewards.py
  (get_repetition_penalty_reward).
- open-r1: huggingface/open-r1 tests/test_rewards.py (test_cosine_scaled_reward, the len_reward
  tests, TestRepetitionPenaltyReward, the soft overlong tests).
- verl: the DAPO reward manager (recipe/dapo), min(-(L - (M - B)) / B * factor, 0), and its
  example recipes (8k response, 4k buffer, factor 1.0).
- Yeo et al. (arXiv 2502.03373) and their code (eddycmu/demystify-long-cot): the cosine reward,
  its exceed term, the run flags (correct 2 -> 1, wrong -10 -> 0, exceed -10) and
  `text.lower().split()` words for the n-gram penalty.
"""

from __future__ import annotations

import math

import pytest

import graders

PI = math.pi


def _ids(n: int) -> dict:
    """A sample whose length in tokens is n (TRL passes completion_ids; the text is irrelevant)."""
    return {"output_text": "x", "completion_ids": [1] * n}


def _scores(node: dict, samples: list, items: list | None = None) -> list[float]:
    return graders.from_dict(node).score(samples, items).scores.tolist()


# == length, shape: overlong (DAPO Eq. 13) =========================================================
TRL_OVERLONG = {"type": "length", "shape": "overlong", "unit": "tokens", "max_length": 100, "buffer": 20}


@pytest.mark.parametrize(("n", "want"), [
    (50, 0.0),    # TRL / open-r1 test: 50 <= 100 - 20
    (110, -1.0),  # TRL / open-r1 test: past max_length
    (90, -0.5),   # TRL / open-r1 test: (80 - 90) / 20
    (0, 0.0),     # empty completion
    (1, 0.0),     # one token
    (80, 0.0),    # exactly at the buffer start M - B: still 0
    (81, -0.05),  # one past it: (80 - 81) / 20
    (99, -0.95),  # (80 - 99) / 20
    (100, -1.0),  # exactly at max_length: (80 - 100) / 20
    (101, -1.0),  # one past max_length
])
def test_overlong_trl_and_boundaries(n: int, want: float) -> None:
    assert _scores(TRL_OVERLONG, [_ids(n)]) == pytest.approx([want], abs=1e-12)


@pytest.mark.parametrize(("n", "want"), [
    (4096, 0.0),   # expected_len = 8192 - 4096: exceed_len 0 -> min(-0 / 4096, 0) = 0
    (5120, -0.25),  # exceed_len 1024 -> -1024 / 4096
    (6144, -0.5),  # -2048 / 4096
    (8192, -1.0),  # -4096 / 4096 (verl cannot go longer: the response is cut at 8192)
])
def test_overlong_matches_verl_dapo_recipe(n: int, want: float) -> None:
    node = {**TRL_OVERLONG, "max_length": 8192, "buffer": 4096}
    assert _scores(node, [_ids(n)]) == pytest.approx([want])


@pytest.mark.parametrize(("n", "want"), [
    (16384, 0.0),    # DAPO's runs: L_max 20480, L_cache 4096 -> no penalty up to 16384
    (18432, -0.5),   # (16384 - 18432) / 4096
    (20480, -1.0),
    (20481, -1.0),
])
def test_overlong_dapo_paper_values(n: int, want: float) -> None:
    node = {**TRL_OVERLONG, "max_length": 20480, "buffer": 4096}
    assert _scores(node, [_ids(n)]) == pytest.approx([want])


def test_overlong_zero_and_full_buffer() -> None:
    # buffer 0: Eq. 13's middle case is empty: 0 up to M, -1 past it
    assert _scores({**TRL_OVERLONG, "buffer": 0}, [_ids(100), _ids(101)]) == [0.0, -1.0]
    # buffer = M: the ramp starts at 0: L = 1 -> (0 - 1) / 100
    assert _scores({**TRL_OVERLONG, "buffer": 100}, [_ids(0), _ids(1), _ids(50)]) == pytest.approx([0.0, -0.01, -0.5])


def test_overlong_units_count_the_same_completion_differently() -> None:
    # "ab cd ef": 8 chars, 3 words; its ids (as TRL passes them): 5 tokens. M 6, B 2 (start 4)
    sample = {"output_text": "ab cd ef", "completion_ids": [11, 12, 13, 14, 15]}
    base = {"type": "length", "shape": "overlong", "max_length": 6, "buffer": 2}
    assert _scores({**base, "unit": "chars"}, [sample]) == [-1.0]    # 8 > 6
    assert _scores({**base, "unit": "words"}, [sample]) == [0.0]     # 3 <= 4
    assert _scores({**base, "unit": "tokens"}, [sample]) == [-0.5]   # (4 - 5) / 2
    assert _scores(base, [sample]) == [-0.5]                         # tokens is the default unit


# == length, shape: cosine (Yeo et al. App. C.1) ====================================================
EXACT = {"type": "exact", "reference": "{{ item.answer }}", "input": "{{ sample.answer }}"}
TRL_COSINE = {"type": "length", "shape": "cosine", "unit": "tokens", "max_length": 100, "correct": EXACT,
              "correct_range": [1.0, 0.5], "wrong_range": [-1.0, -0.5], "exceed": None}


def _graded(n: int, right: bool) -> tuple[dict, dict]:
    return {**_ids(n), "answer": "42" if right else "41"}, {"answer": "42"}


def _cos(node: dict, cases: list[tuple[int, bool]]) -> list[float]:
    rows = [_graded(n, right) for n, right in cases]
    return _scores(node, [s for s, _ in rows], [i for _, i in rows])


@pytest.mark.parametrize(("n", "right", "want"), [
    # TRL tests (max_len 100, defaults correct 1.0 -> 0.5, wrong -1.0 -> -0.5, token ids):
    (25, True, 0.92678),    # 0.5 + 0.5 * 0.5 * (1 + cos(pi / 4)) = 0.5 + 0.25 * 1.70711
    (75, True, 0.57322),    # 0.5 + 0.25 * (1 + cos(3 pi / 4)) = 0.5 + 0.25 * 0.29289
    (25, False, -0.92678),  # -0.5 + 0.5 * (-0.5) * 1.70711
    (75, False, -0.57322),
    (50, True, 0.75),       # midpoint: cos(pi / 2) = 0
    (50, False, -0.75),
    (0, True, 1.0),         # empty completion: the length-0 end
    (0, False, -1.0),
    (100, True, 0.5),       # exactly max_len: the other end
    (100, False, -0.5),
    (200, True, 0.5),       # TRL: L / M clamped to 1, no climb back up
    (200, False, -0.5),
])
def test_cosine_matches_trl_with_exceed_null(n: int, right: bool, want: float) -> None:
    assert _cos(TRL_COSINE, [(n, right)]) == pytest.approx([want], abs=1e-4)


def test_cosine_trl_custom_bounds() -> None:
    # TRL test_custom_value_bounds: correct 2.0 -> 0.0 at L 50 of 100: 0 + 0.5 * 2 * (1 + 0) = 1.0
    assert _cos({**TRL_COSINE, "correct_range": [2.0, 0.0]}, [(50, True)]) == pytest.approx([1.0])


def test_cosine_open_r1_test_values_in_chars() -> None:
    # open-r1 test_cosine_scaled_reward: max_len 100, chars; the content is \boxed{\frac{63}{400}}
    # (22 chars: longer than the asked-for 20, so unpadded) or padded with spaces to 80.
    node = {"type": "length", "shape": "cosine", "unit": "chars", "max_length": 100,
            "correct_range": [1.0, 0.5], "wrong_range": [-1.0, -0.5],
            "correct": {"type": "math", "reference": "{{ item.solution }}"}}
    right, wrong = r"\boxed{\frac{63}{400}}", r"\boxed{\frac{64}{400}}"
    texts = [right, right.ljust(80), wrong, wrong.ljust(80)]
    got = _scores(node, texts, [{"solution": r"\frac{63}{400}"}] * 4)
    # 22: 0.5 + 0.25 * (1 + cos(0.22 pi)) = 0.5 + 0.25 * 1.77051 = 0.94263 (open-r1: 0.943, 2 places)
    # 80: 0.5 + 0.25 * (1 + cos(0.8 pi)) = 0.5 + 0.25 * 0.19098 = 0.54775 (open-r1: 0.547)
    assert got == pytest.approx([0.943, 0.547, -0.942, -0.547], abs=5e-3)
    assert got == pytest.approx([0.94263, 0.54775, -0.94263, -0.54775], abs=1e-5)


PAPER = {"type": "length", "shape": "cosine", "unit": "tokens", "max_length": 1000, "correct": EXACT}


@pytest.mark.parametrize(("n", "right", "want"), [
    # Defaults = the paper's runs (demystify-long-cot scripts: correct 2 -> 1, wrong -10 -> 0, exceed -10)
    (0, True, 2.0),            # 1 + 0.5 * (2 - 1) * (1 + cos 0)
    (0, False, -10.0),         # 0 + 0.5 * (-10 - 0) * 2
    (500, True, 1.5),          # midpoint: 1 + 0.5 * 1 * 1
    (500, False, -5.0),        # 0 + 0.5 * -10 * 1
    (250, True, 1.0 + 0.5 * (1 + math.cos(PI / 4))),    # 1.85355
    (750, False, -5.0 * (1 + math.cos(3 * PI / 4))),    # -1.46447
    (1, True, 1.0 + 0.5 * (1 + math.cos(PI / 1000))),   # one token
    (999, True, 1.0 + 0.5 * (1 + math.cos(0.999 * PI))),  # just under the limit: ~1.0000025
    (999, False, -5.0 * (1 + math.cos(0.999 * PI))),     # ~-0.0000247
    (1000, True, 1.0),         # L = M: the curve's end, 1 + 0.5 * 1 * (1 + cos pi); r_e only past M
    (1000, False, 0.0),
    (1001, True, -10.0),
])
def test_cosine_paper_defaults(n: int, right: bool, want: float) -> None:
    assert _cos(PAPER, [(n, right)]) == pytest.approx([want], abs=1e-9)


def test_cosine_exceed_and_threshold_options() -> None:
    assert _cos({**PAPER, "exceed": -3.0}, [(1001, True), (5000, False), (999, False), (1000, False)]) == pytest.approx(
        [-3.0, -3.0, -5.0 * (1 + math.cos(0.999 * PI)), 0.0])
    # exceed: null with the paper's ranges: the curve's end (1 correct, 0 wrong) holds past M too
    assert _cos({**PAPER, "exceed": None}, [(1000, True), (1000, False), (3000, True)]) == pytest.approx([1.0, 0.0, 1.0])
    # threshold: a fuzzy child scoring 0.75 ("abcd" vs "abcf") is correct at 0.7, wrong at the default 1
    fuzzy = {"type": "fuzzy", "reference": "{{ item.answer }}", "input": "{{ sample.answer }}"}
    row = [{**_ids(500), "answer": "abcd"}], [{"answer": "abcf"}]
    assert _scores({**PAPER, "correct": fuzzy, "threshold": 0.7}, *row) == pytest.approx([1.5])
    assert _scores({**PAPER, "correct": fuzzy}, *row) == pytest.approx([-5.0])


def test_cosine_no_answer_is_wrong() -> None:
    # a boxed-extracting child finds nothing: not applicable -> the wrong curve: 0.5 * -10 * (1 + cos(pi / 2)) = -5
    node = {**PAPER, "correct": {"type": "exact", "reference": "{{ item.answer }}", "extract": "boxed"}}
    assert _scores(node, [_ids(500)], [{"answer": "42"}]) == pytest.approx([-5.0])


# == length, shape: target (graders' own; README formula) ===========================================
@pytest.mark.parametrize(("n", "target", "tol", "want"), [
    (100, 100, 0, 1.0),   # on target
    (150, 100, 0, 0.5),   # 1 - 50 / 100
    (50, 100, 0, 0.5),
    (0, 100, 0, 0.0),     # empty: 1 - 100 / 100
    (200, 100, 0, 0.0),   # twice the target
    (110, 100, 10, 1.0),  # inside the tolerance band
    (130, 100, 10, 0.8),  # 1 - (30 - 10) / 100
    (210, 100, 10, 0.0),  # 2T + tol
    (1, 1, 0, 1.0),
])
def test_target(n: int, target: int, tol: int, want: float) -> None:
    node = {"type": "length", "shape": "target", "target": target, "tolerance": tol}
    assert _scores(node, [_ids(n)]) == pytest.approx([want])


# == repetition (Yeo et al. App. C.2 as open-r1 / TRL implement it) =================================
@pytest.mark.parametrize(("text", "n", "penalty", "want"), [
    # open-r1 TestRepetitionPenaltyReward, word n-grams:
    ("this is a test sentence", 2, -1.0, 0.0),
    ("this this this this this", 2, -1.0, -0.75),     # 1 distinct of 4 bigrams
    ("this is a this is a test", 2, -1.0, -1 / 3),    # 4 distinct of 6
    ("this is a test", 3, -0.5, 0.0),
    ("test test test test", 3, -0.5, -0.25),          # 1 of 2 -> 0.5 * -0.5
    ("", 2, -1.0, 0.0),                               # empty completion
    ("this is a this is a test", 3, -2.0, -0.4),      # 4 of 5 trigrams -> 0.2 * -2
    ("word", 3, -1.0, 0.0),                           # fewer words than n
    ("two words", 3, -1.0, 0.0),
    ("three different words", 3, -1.0, 0.0),          # exactly one trigram
    ("word word word word", 3, -1.0, -0.5),
    ("one two one two", 3, -1.0, 0.0),                # 2 distinct of 2
    ("A B C A B", 3, -0.5, 0.0),
    ("A B C A B C", 3, -1.0, -0.25),                  # 3 distinct of 4
    ("A B C A B C E F G A B C A B C", 3, -1.0, -5 / 13),  # 8 distinct of 13 (open-r1: -0.3846)
    ("A B C D E F G H I J K L", 3, -1.0, 0.0),
    ("that that that that that", 2, -1.0, -0.75),
    # case: words are lowercased (open-r1 test_mixed_case; the paper's code)
    ("This is A Test", 2, -1.0, 0.0),
    ("The answer the answer", 2, -1.0, -1 / 3),       # the answer / answer the / the answer: 2 of 3
    ("Wait WAIT wait", 1, -1.0, -2 / 3),              # 1 distinct of 3 unigrams
    ("x x x", 1, 0.0, 0.0),                           # max_penalty 0: never a penalty
])
def test_repetition_open_r1_words(text: str, n: int, penalty: float, want: float) -> None:
    node = {"type": "repetition", "ngram": n, "max_penalty": penalty}
    assert _scores(node, [text]) == pytest.approx([want])


def test_repetition_mixed_case_texts_score_alike() -> None:
    # open-r1 test_mixed_case: both completions produce the same reward
    node = {"type": "repetition", "ngram": 2}
    a, b = _scores(node, ["This is A Test This is", "this IS a test this is"])
    assert a == b == pytest.approx(-0.2)  # bigrams: this is, is a, a test, test this, this is -> 4 of 5


def test_repetition_defaults_are_open_r1s() -> None:
    # ngram 3, max_penalty -1, words: "a b c a b c" -> trigrams abc bca cab abc: 3 of 4 -> -0.25
    assert _scores({"type": "repetition"}, ["a b c a b c"]) == pytest.approx([-0.25])


def test_repetition_token_ids_trl_example() -> None:
    # TRL get_repetition_penalty_reward docstring: ngram 2, [[1, 2, 3, 4], [5, 5, 5, 5, 5]] -> [0.0, -0.75]
    node = {"type": "repetition", "unit": "tokens", "ngram": 2}
    got = _scores(node, [{"output_text": "x", "completion_ids": [1, 2, 3, 4]},
                         {"output_text": "x", "completion_ids": [5, 5, 5, 5, 5]},
                         {"output_text": "x", "completion_ids": [5]},
                         {"output_text": "x", "completion_ids": []}])
    assert got == pytest.approx([0.0, -0.75, 0.0, 0.0])


def test_repetition_chars_for_unsegmented_chinese() -> None:
    # open-r1 segments Chinese with jieba ("这个这个这个这个这个", n 2 -> -0.75); graders has no word
    # segmenter: the run is one whitespace word (no bigram: 0); in chars the 9 bigrams are
    # 这个 / 个这 alternating: 2 distinct -> (1 - 2/9) * -1 = -7/9
    text = "这个这个这个这个这个"
    assert _scores({"type": "repetition", "ngram": 2}, [text]) == [0.0]
    assert _scores({"type": "repetition", "ngram": 2, "unit": "chars"}, [text]) == pytest.approx([-7 / 9])
    # chars compare exactly (no lowercasing): "AaAa" bigrams Aa aA Aa -> 2 of 3
    assert _scores({"type": "repetition", "ngram": 2, "unit": "chars"}, ["AaAa"]) == pytest.approx([-1 / 3])


# == group_length (Kimi k1.5; open-r1 len_reward in chars) ===========================================
MATH_CHILD = {"type": "math", "reference": "{{ item.solution }}"}
KIMI_CHARS = {"type": "group_length", "unit": "chars", "correct": MATH_CHILD}
SOL = {"solution": r"\frac{63}{400}"}
RIGHT, WRONG = r"\boxed{\frac{63}{400}}", r"\boxed{\frac{64}{400}}"  # 22 chars each
PAD = "  " + "x" * 10  # open-r1's longer variants: 22 + 12 = 34 chars


def test_group_length_open_r1_cases() -> None:
    # test_same_length_responses: all lengths equal -> [0, 0]
    assert _scores(KIMI_CHARS, [RIGHT, WRONG], [SOL, SOL]) == [0.0, 0.0]
    # test_different_lengths_correct_answers: min 22, max 34: 0.5 - 0/12, 0.5 - 12/12
    assert _scores(KIMI_CHARS, [RIGHT, RIGHT + PAD], [SOL, SOL]) == pytest.approx([0.5, -0.5])
    # test_different_lengths_incorrect_answers: min(0, 0.5) = 0, min(0, -0.5) = -0.5
    assert _scores(KIMI_CHARS, [WRONG, WRONG + PAD], [SOL, SOL]) == pytest.approx([0.0, -0.5])
    # test_mixed_correctness: [0.5, -0.5, 0.0, -0.5]
    got = _scores(KIMI_CHARS, [RIGHT, RIGHT + PAD, WRONG, WRONG + PAD], [SOL] * 4)
    assert got == pytest.approx([0.5, -0.5, 0.0, -0.5])


def test_group_length_unparseable_gold_is_not_correct() -> None:
    # open-r1 test_unparseable_solution: a gold math-verify cannot parse counts as correct there, so
    # the shorter row gets 0.5. graders does not pay for an unparseable gold (open-r1#86): "answer"
    # is not "unparseable_latex", both rows are wrong: [min(0, 0.5), min(0, -0.5)] = [0, -0.5]
    texts = [r"\boxed{answer}", r"\boxed{answer} " + "x" * 10]
    assert _scores(KIMI_CHARS, texts, [{"solution": "unparseable_latex"}] * 2) == pytest.approx([0.0, -0.5])


KIMI = {"type": "group_length", "correct": EXACT}


def _group(cases: list[tuple[int, bool]], node: dict = KIMI, **kw: object) -> list[float]:
    rows = [_graded(n, right) for n, right in cases]
    return graders.from_dict(node).score([s for s, _ in rows], [i for _, i in rows], **kw).scores.tolist()


def test_group_length_kimi_by_hand_in_tokens() -> None:
    # lengths 100, 150, 200, 175, 125 (tokens): min 100, max 200, span 100
    cases = [(100, True), (150, True), (200, True), (175, False), (125, False)]
    # lambda: 0.5, 0.0, -0.5, -0.25, 0.25; wrong rows keep min(0, lambda): -0.25, 0.0
    assert _group(cases) == pytest.approx([0.5, 0.0, -0.5, -0.25, 0.0])


def test_group_length_boundaries() -> None:
    assert _group([(37, True)]) == [0.0]                                  # group of one
    assert _group([(5, True), (5, False), (5, True)]) == [0.0, 0.0, 0.0]  # all lengths equal
    assert _group([(0, True), (1, True)]) == pytest.approx([0.5, -0.5])    # empty vs one token
    assert _group([(0, False), (1, False)]) == pytest.approx([0.0, -0.5])
    # every row wrong and equal: 0 (min(0, 0))
    assert _group([(9, False), (9, False)]) == [0.0, 0.0]
    # two groups by the groups= argument: each has its own min and max
    got = _group([(10, True), (20, True), (1000, True), (3000, True)], groups=["a", "a", "b", "b"])
    assert got == pytest.approx([0.5, -0.5, 0.5, -0.5])


def test_group_length_threshold_option() -> None:
    fuzzy = {"type": "fuzzy", "reference": "{{ item.answer }}", "input": "{{ sample.answer }}"}
    rows = [{**_ids(10), "answer": "abcd"}, {**_ids(30), "answer": "abcd"}, {**_ids(20), "answer": "abcd"}]
    items = [{"answer": "abcf"}] * 3  # fuzzy 0.75 each
    # lambda 0.5, -0.5, 0.0; correct at threshold 0.7 -> as is; wrong at the default 1 -> min(0, .)
    assert _scores({**KIMI, "correct": fuzzy, "threshold": 0.7}, rows, items) == pytest.approx([0.5, -0.5, 0.0])
    assert _scores({**KIMI, "correct": fuzzy}, rows, items) == pytest.approx([0.0, -0.5, 0.0])


# == self_correction (SCoRe stage II: r2 + alpha (r2 - r1)) ==========================================
SCORE = {"type": "self_correction", "grader": {"type": "exact", "reference": "{{ item.answer }}"}}


@pytest.mark.parametrize(("first", "second", "alpha", "want"), [
    ("41", "42", 10.0, 11.0),   # wrong -> right: 1 + 10 (1 - 0)
    ("42", "41", 10.0, -10.0),  # right -> wrong: 0 + 10 (0 - 1)
    ("42", "42", 10.0, 1.0),    # right twice: 1 + 10 * 0
    ("41", "40", 10.0, 0.0),    # wrong twice
    ("41", "42", 0.0, 1.0),     # alpha 0: just r2
    ("41", "42", 1.5, 2.5),
    ("", "42", 2.0, 3.0),       # an empty first attempt is a wrong one
])
def test_self_correction_flips(first: str, second: str, alpha: float, want: float) -> None:
    node = {**SCORE, "alpha": alpha}
    assert _scores(node, [{"output_text": second, "attempts": [first, second]}], [{"answer": "42"}]) == [want]


def test_self_correction_partial_credit_and_threshold() -> None:
    node = {"type": "self_correction", "alpha": 2.0, "threshold": 0.5,
            "grader": {"type": "fuzzy", "reference": "{{ item.answer }}"}}
    # ratio("abcd", "wxyz") = 0, ratio("abcf", "abcd") = 0.75 -> r2 + 2 (r2 - r1) = 0.75 + 1.5
    res = graders.from_dict(node).score([{"output_text": "", "attempts": ["wxyz", "abcf"]}], [{"answer": "abcd"}])
    assert res.scores.tolist() == pytest.approx([2.25])
    # flipped: 0.75 >= 0.5 right, 0 wrong -> +1
    assert res.components["flipped"].tolist() == [1.0]


# == language (DeepSeek-R1: share of the CoT's words in the target language) ========================
def _lang(language: str, texts: list[str], **kw: object) -> list[float]:
    return _scores({"type": "language", "language": language, **kw}, texts)


def test_language_shares_by_hand() -> None:
    en = "First we add the numbers together and then we check the result."  # 12 words
    zh = "然后我们把它们相乘。"  # 9 Han characters = 9 words
    texts = [
        f"<think>{en}</think><answer>42</answer>",  # 12 / 12
        f"<think>{en} {zh}</think>",               # 12 / 21 English
        f"<think>{zh}</think>",                    # 0 / 9
        f"<think>{en}</think>{zh}",                # outside the think block: not reasoning -> 12 / 12
    ]
    assert _lang("en", texts) == pytest.approx([1.0, 12 / 21, 0.0, 1.0])
    assert _lang("zh", texts) == pytest.approx([0.0, 9 / 21, 1.0, 0.0])
    assert _lang("en", texts[3:], reasoning="all") == pytest.approx([12 / 21])


def test_language_short_reasoning() -> None:
    # a few words: a person counts these as English, and "Ich denke", "La somme est 15." as not
    english = ["Hello", "Wait", "Let me check.", "Let n = 7. Then n mod 3 = 1.", "Let x = 5. So x + 1 = 6.",
               "x^2 - 5x + 6 = 0 so x = 2 or 3."]
    assert _lang("en", [f"<think>{t}</think>" for t in english]) == [1.0] * len(english)
    foreign = ["Ich denke", "La somme est 15.", "Wir erhalten k = 2.", "Sei n = 7. Dann ist n mod 3 = 1."]
    assert _lang("en", [f"<think>{t}</think>" for t in foreign]) == [0.0] * len(foreign)


def test_language_variables_are_words_but_do_not_decide_the_language() -> None:
    # 14 words (Let S sum k n k n n For n S Then S mod), 9 of them one-letter variables: English, 14 / 14
    assert _lang("en", ["<think>Let S = sum_{k=1}^n k = n(n+1)/2. For n = 10, S = 55. Then S mod 7 = 6.</think>"]) == [1.0]
    # variables only: they are words, and nothing says they are not English
    assert _lang("en", ["<think>x = y + z</think>"]) == [1.0]
    # 11 English words + 2 variables (x, y) + 4 Han characters: 13 / 17
    text = "<think>We add the two numbers together and then check the result x y. 我不知道。</think>"
    assert _lang("en", [text]) == pytest.approx([13 / 17])
    # "Wait, 我觉得 the answer is 5.": Latin words Wait the answer is (4, English) + 3 Han -> 4 / 7
    assert _lang("en", ["<think>Wait, 我觉得 the answer is 5.</think>"]) == pytest.approx([4 / 7])


def test_language_words_as_a_person_counts_them() -> None:
    # "I don't know the state-of-the-art method": 6 words (don't and state-of-the-art are one each),
    # then 我不知道: 4 Han characters -> 6 / 10 English
    text = "<think>I don't know the state-of-the-art method. 我不知道。</think>"
    assert _lang("en", [text]) == pytest.approx([6 / 10])
    assert _lang("zh", [text]) == pytest.approx([4 / 10])


def test_language_no_words_is_not_applicable() -> None:
    res = graders.from_dict({"type": "language", "language": "en"}).score(["<think>12 + 30 = 42</think>", ""])
    assert res.scores.tolist() == [0.0, 0.0]
    assert res.status.tolist() == [1, 1]


# == options every measuring kind shares: input, extract ===========================================
def test_input_and_extract_choose_what_is_measured() -> None:
    sample = {"output_text": "<think>one two three four five six</think> seven eight", "reasoning": "a b c d e f g h"}
    overlong = {"type": "length", "shape": "overlong", "unit": "words", "max_length": 6, "buffer": 2}  # ramp from 4
    assert _scores(overlong, [sample]) == [-1.0]                                       # 8 words > 6
    assert _scores({**overlong, "extract": "strip_think"}, [sample]) == [0.0]          # "seven eight": 2
    assert _scores({**overlong, "input": "{{ sample.reasoning }}"}, [sample]) == [-1.0]  # 8 words
    # M 10, B 4: (6 - 8) / 4
    assert _scores({**overlong, "input": "{{ sample.reasoning }}", "max_length": 10, "buffer": 4}, [sample]) == [-0.5]


def test_repetition_words_keep_markup_glued_to_words() -> None:
    # whitespace split: "<think>go go go go</think> done" -> <think>go | go | go | go</think> | done
    # unigrams: 4 distinct of 5 -> (1 - 4/5) * -1 = -0.2
    assert _scores({"type": "repetition", "ngram": 1}, ["<think>go go go go</think> done"]) == pytest.approx([-0.2])
    # extract: strip_think measures "done" only: one unigram, no repeat
    assert _scores({"type": "repetition", "ngram": 1, "extract": "strip_think"},
                   ["<think>go go go go</think> done"]) == [0.0]


def test_language_candidates_and_max_chars() -> None:
    # languages: [zh] leaves English the only Latin-script candidate, so every Latin word is English
    # without identification (the documented script rule): a French sentence then counts 5 / 5
    fr = "<think>Nous vérifions le résultat final.</think>"
    assert _lang("en", [fr], languages=["zh"]) == [1.0]
    assert _lang("en", [fr]) == [0.0]  # among the 30 default candidates it is French: 0 / 5
    # max_chars: 11 characters of reasoning with max_chars 10 is an input_too_long row error (score 0)
    res = graders.from_dict({"type": "language", "language": "en", "max_chars": 10}).score(["hello world", "hello"])
    assert res.status.tolist() == [2, 0]
    assert res.errors[0][0].kind == "input_too_long"
    assert res.scores.tolist() == [0.0, 1.0]


def test_self_correction_attempts_template() -> None:
    node = {**SCORE, "alpha": 3.0, "attempts": "{{ sample.tries }}"}
    # tries: 41 then 42: 1 + 3 (1 - 0) = 4; three tries: the last two (42, 41): 0 + 3 (0 - 1) = -3
    rows = [{"output_text": "", "tries": ["41", "42"]}, {"output_text": "", "tries": ["7", "42", "41"]}]
    assert _scores(node, rows, [{"answer": "42"}] * 2) == [4.0, -3.0]
    # one attempt, or none: a missing_attempts error, never r1 = r2
    res = graders.from_dict(node).score([{"output_text": "", "tries": ["42"]}, {"output_text": ""}], [{"answer": "42"}] * 2)
    assert res.status.tolist() == [2, 2]
    assert {e[0].kind for e in res.errors} == {"missing_attempts"}


def test_group_length_group_by_group_size_and_input() -> None:
    node = {**KIMI, "unit": "chars", "input": "{{ sample.answer }}", "group_by": "{{ item.pid }}"}
    rows = [{"output_text": "", "answer": "42"}, {"output_text": "", "answer": "42   "}, {"output_text": "", "answer": "4"}]
    items = [{"pid": 1, "answer": "42"}, {"pid": 1, "answer": "42   "}, {"pid": 2, "answer": "9"}]
    # group 1: lengths 2 and 5, both correct: 0.5 - 0/3, 0.5 - 3/3; group 2: one row -> 0
    assert _scores(node, rows, items) == pytest.approx([0.5, -0.5, 0.0])
    # group_size 2: the group of one is incomplete: an error on its row, never a reward
    res = graders.from_dict({**node, "group_size": 2}).score(rows, items)
    assert res.scores.tolist() == pytest.approx([0.5, -0.5, 0.0])
    assert res.status.tolist() == [0, 0, 2]
    assert res.errors[2][0].kind == "incomplete_group"
