from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders import textmetrics
from graders.errors import ConfigError
from graders.testing.fake_server import FakeJudgeServer, Faults, hashed_embedding
from tests.judge import support

judge_env = support.judge_env  # fixtures
server = support.server

PAIRS = Path(__file__).parents[1] / "data" / "text_similarity" / "pairs.jsonl"
LOCAL_METRICS = ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5",
                 "rouge_l"]
needs_wordnet = pytest.mark.skipif(textmetrics.wordnet_location() is None,
                                   reason="WordNet 3.0 not installed (apt-get install wordnet-base)")


def sim(metric: str, outputs: list[str], refs: list[str] | str) -> list[float]:
    if isinstance(refs, str):
        refs = [refs] * len(outputs)
    g = graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": metric})
    res = g.score(outputs, [{"r": r} for r in refs])
    assert res.n_error == 0, res.errors
    return res.scores.tolist()


def _pairs() -> tuple[dict, list[dict]]:
    lines = [json.loads(x) for x in PAIRS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines[0]["meta"], lines[1:]


# -- agreement with the pinned libraries (acceptance 2) -------------------------------------------
def test_pair_set_records_the_pinned_versions() -> None:
    meta, pairs = _pairs()
    assert meta["versions"] == {"rapidfuzz": "3.10.1", "nltk": "3.9.1", "rouge-score": "0.1.2"}
    assert len(pairs) >= 50
    assert all(set(p["expected"]) == set(LOCAL_METRICS) for p in pairs)


@pytest.mark.parametrize("metric", [pytest.param(m, marks=needs_wordnet) if m == "meteor" else m
                                    for m in LOCAL_METRICS])
def test_agrees_with_pinned_libraries_to_1e6(metric: str) -> None:
    _meta, pairs = _pairs()
    got = sim(metric, [p["candidate"] for p in pairs], [p["reference"] for p in pairs])
    bad = [(p["id"], p["expected"][metric], g) for p, g in zip(pairs, got, strict=True)
           if abs(p["expected"][metric] - g) > 1e-6]
    assert not bad, f"{metric}: {len(bad)} of {len(pairs)} pairs differ: {bad[:5]}"


# -- values computed by hand ---------------------------------------------------------------------
def test_fuzzy_match_is_wratio_over_100() -> None:
    # ratio("jon doe", "john doe") = 2 * 7 / 15 after rapidfuzz's default processing
    assert sim("fuzzy_match", ["Jon Doe"], "John Doe")[0] == pytest.approx(14 / 15)
    assert sim("fuzzy_match", ["JOHN DOE!"], "John Doe") == [1.0]


def test_rouge_by_hand() -> None:
    # rouge_1: P = 2/3, R = 2/2 -> F = 0.8
    assert sim("rouge_1", ["the cat sat"], "the cat") == [pytest.approx(0.8)]
    # rouge_2: bigrams {the cat, cat sat} vs {the cat}: P = 1/2, R = 1 -> F = 2/3
    assert sim("rouge_2", ["the cat sat"], "the cat") == [pytest.approx(2 / 3)]
    # rouge_l: LCS(red green blue black, red blue green black) = 3 of 4 -> 0.75
    assert sim("rouge_l", ["red blue green black"], "red green blue black") == [pytest.approx(0.75)]
    # rouge_3 on two tokens: no trigrams at all -> 0
    assert sim("rouge_3", ["the cat"], "the cat") == [0.0]


def test_gleu_by_hand() -> None:
    # 1-4 gram matches 5 + 3 + 2 + 1 = 11 of 18 n-grams on each side: min(P, R) = 11/18
    assert sim("gleu", ["the cat sat on the mat"], "the cat sat on a mat") == [pytest.approx(11 / 18)]


def test_bleu_identical_and_disjoint() -> None:
    got = sim("bleu", ["the cat sat on the mat", "dogs bark loudly at night"], "the cat sat on the mat")
    assert got == [pytest.approx(1.0), 0.0]


@needs_wordnet
def test_meteor_by_hand() -> None:
    # one matching token: P = R = 1, one chunk per match -> penalty 0.5 * 1^3 -> 0.5
    assert sim("meteor", ["Paris"], "Paris") == [0.5]
    # 7 matches in 4 chunks: penalty = 0.5 * (4/7)^3
    got = sim("meteor", ["Tokyo is the capital of Japan."], "The capital of Japan is Tokyo.")
    assert got == [pytest.approx(1 - 0.5 * (4 / 7) ** 3)]
    # WordNet synonyms count: "sick" ~ "ill" (one match, one chunk -> 0.5); 4 matches in 1 chunk:
    assert sim("meteor", ["sick", "the dog is sick"], ["ill", "the dog is ill"]) == [0.5, 1 - 0.5 * (1 / 4) ** 3]
    # nltk stems before the synonym stage, so "large" (stem "larg") never meets "big": the library's 0, kept
    assert sim("meteor", ["big"], "large") == [0.0]


@pytest.mark.parametrize("metric", [pytest.param(m, marks=needs_wordnet) if m == "meteor" else m
                                    for m in LOCAL_METRICS])
def test_boundaries(metric: str) -> None:
    sentence = "Water boils at 100 degrees Celsius at sea level."
    empty, disjoint, same = sim(metric, ["", "Stock markets rallied after the announcement today.", sentence],
                                sentence)
    assert empty == 0.0  # an empty completion earns nothing (and is scored, not skipped)
    assert disjoint <= 0.4  # fuzzy_match (WRatio) still finds shared letters: 0.37
    assert same == pytest.approx(1.0) or (metric == "meteor" and same > 0.99)


def test_scores_stay_in_unit_interval_and_rows_keep_order() -> None:
    outs = ["a b c", "", "c b a", "a b c"] * 10
    got = sim("rouge_l", outs, "a b c")
    assert got[:4] == [1.0, 0.0, pytest.approx(1 / 3), 1.0]
    assert got == got[:4] * 10


def test_pass_threshold_is_accepted_but_does_not_threshold() -> None:
    g = graders.from_dict({"type": "text_similarity", "name": "n", "input": "{{ sample.output_json.name }}",
                           "reference": "{{ item.name }}", "evaluation_metric": "fuzzy_match", "pass_threshold": 0.9})
    got = g.score(['{"name": "Jon Doe"}', '{"name": "Jane Roe"}'], [{"name": "John Doe"}] * 2).scores
    assert got[0] == pytest.approx(14 / 15)
    assert 0 < got[1] < 0.9


# -- load-time errors, no downloads --------------------------------------------------------------
def test_unknown_metric_is_a_located_config_error() -> None:
    with pytest.raises(ConfigError) as ei:
        graders.from_yaml("grader:\n  type: text_similarity\n  reference: '{{ item.r }}'\n  evaluation_metric: rouge_6\n")
    assert "evaluation_metric" in str(ei.value) and ":4" in str(ei.value)


def test_cosine_fields_rejected_on_other_metrics() -> None:
    with pytest.raises(ConfigError, match="cosine only"):
        graders.from_dict({"type": "text_similarity", "reference": "x", "evaluation_metric": "bleu",
                           "model": "text-embedding-3-small"})


def test_meteor_without_wordnet_fails_at_load_saying_how_to_provide_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textmetrics, "wordnet_location", lambda: None)
    with pytest.raises(ConfigError, match="wordnet-base.*GRADERS_WORDNET_DIR.*NLTK_DATA"):
        graders.from_dict({"type": "text_similarity", "reference": "x", "evaluation_metric": "meteor"})


@needs_wordnet
def test_meteor_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def no_download(*a: object, **k: object) -> None:
        raise AssertionError("nltk.download called")

    monkeypatch.setattr(nltk, "download", no_download)
    assert sim("meteor", ["a sick child"], "an ill child")[0] > 0.6


def test_wordnet_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(textmetrics.WORDNET_ENV, str(tmp_path))
    if textmetrics.wordnet_location() == ("dir", str(tmp_path)):
        pytest.fail("an empty directory is not WordNet")
    for f in textmetrics._WORDNET_FILES:
        (tmp_path / f).write_text("")
    assert textmetrics.wordnet_location() == ("dir", str(tmp_path))


def test_loading_a_text_similarity_grader_imports_neither_nltk_nor_openai() -> None:
    code = ("import sys, graders; g = graders.from_dict({'type': 'text_similarity', 'reference': 'a', "
            "'evaluation_metric': 'fuzzy_match'}); g.score(['a'], [{}]);"
            "print(','.join(m for m in ('nltk', 'rouge_score', 'openai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == ""


# -- cosine: embeddings from the local OpenAI-compatible server ------------------------------------


def _cos(a: str, b: str) -> float:
    va, vb = hashed_embedding(a), hashed_embedding(b)
    return max(0.0, sum(x * y for x, y in zip(va, vb, strict=True)))


def cosine(**kw: object) -> graders.Grader:
    return graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": "cosine",
                              "timeout": 2.0, **kw})


def test_cosine_matches_the_embeddings_by_hand(server: FakeJudgeServer) -> None:
    outs = ["red apple pie", "the red apple", "", "stock market news", "red apple pie"]
    res = cosine().score(outs, [{"r": "red apple pie"}] * len(outs))
    assert res.n_error == 0
    want = [1.0, _cos("the red apple", "red apple pie"), 0.0, _cos("stock market news", "red apple pie"), 1.0]
    assert res.scores.tolist() == pytest.approx(want, abs=1e-6)
    # distinct non-empty texts only: "red apple pie", "the red apple", "stock market news" in one request
    assert server.total_attempts == 1
    body = next(iter(server.bodies.values()))
    assert body["model"] == "text-embedding-3-large" and len(body["input"]) == 3


def test_cosine_is_cached_on_disk_and_batched(server: FakeJudgeServer) -> None:
    outs = [f"answer number {i}" for i in range(10)]
    g = cosine(batch_size=4, model="my-embedder")
    first = g.score(outs, [{"r": "answer"}] * 10).scores
    assert server.total_attempts == 3  # 11 texts in requests of 4
    again = cosine(batch_size=4, model="my-embedder").score(outs, [{"r": "answer"}] * 10).scores
    assert server.total_attempts == 3  # a fresh grader (no in-memory cache) reads the disk cache
    assert again.tolist() == first.tolist()


def test_cosine_retries_then_reports_errors_per_row(judge_env: object) -> None:
    from graders.judge import configure_judges

    with FakeJudgeServer(faults=Faults(rate_500=1.0, seed=1)) as srv:
        configure_judges(base_url=srv.base_url)
        res = cosine(max_retries=1).score(["a b", ""], [{"r": "a b c"}] * 2)
    assert res.errors[0] and res.errors[0][0].kind == "embedding_server_error"
    assert "gave up after 2 attempts" in res.errors[0][0].message
    assert not res.errors[1] and res.scores[1] == 0.0  # empty input: 0, no request needed


def test_size_bounds_are_row_errors_not_hangs() -> None:
    long = " ".join(["word"] * 3000)
    g = graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": "rouge_l",
                           "max_word_pairs": 1_000_000, "max_words": 5000})
    res = g.score([long, "word word", " ".join(["w"] * 6000)], [{"r": long}, {"r": long}, {"r": "w"}])
    assert res.status.tolist() == [2, 0, 2]
    assert res.errors[0][0].kind == "input_too_long" and "3000 x 3000" in res.errors[0][0].message
    assert "max_words is 5000" in res.errors[2][0].message
    assert 0 < res.scores[1] < 0.01 and res.scores[0] == 0.0
    # linear metrics only check max_words
    g2 = graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": "rouge_1",
                            "max_word_pairs": 1})
    assert g2.score([long], [{"r": long}]).scores.tolist() == [1.0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=40)), min_size=1, max_size=8),
       st.sampled_from(["fuzzy_match", "bleu", "gleu", "rouge_2", "rouge_l"]))
def test_any_text_scores_in_unit_interval_same_alone_or_batched(pairs: list[tuple[str, str]], metric: str) -> None:
    outs, refs = [a for a, _ in pairs], [b for _, b in pairs]
    got = sim(metric, outs, refs)
    assert all(0.0 <= x <= 1.0 for x in got)
    assert got == [sim(metric, [a], [b])[0] for a, b in pairs]


def test_fuzzy_match_partial_alignment_is_bounded() -> None:
    long, short = "word " * 2000, "word " * 300  # 10,000 vs 1,500 chars: WRatio's quadratic partial path
    g = graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": "fuzzy_match"})
    res = g.score([long, short, "x" * 5000], [{"r": short}, {"r": "word " * 250}, {"r": "y" * 4000}])
    assert res.status.tolist() == [2, 0, 0]  # 1,500 vs 1,250 and 5,000 vs 4,000: lengths within 1.5x, fast path
    assert res.errors[0][0].kind == "input_too_long" and "partial_max_chars is 1000" in res.errors[0][0].message


# -- adversarial regressions ----------------------------------------------------------------------
@pytest.mark.parametrize("metric", ["bleu", "rouge_l", "fuzzy_match"])
def test_size_bound_counts_tokens_not_whitespace_words(metric: str) -> None:
    # "x," * n is one whitespace word but 2n tokens: meteor ran 33 s on n = 500,000 before.
    g = graders.from_dict({"type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": metric,
                           "max_words": 1000})
    res = g.score(["x," * 600, "aé" * 600, "the cat sat"], [{"r": "the cat sat"}] * 3)
    assert [[e.kind for e in errs] for errs in res.errors] == [["input_too_long"], ["input_too_long"], []]
    assert res.scores[2] > 0.5  # the normal row is scored (BLEU smooths 3 tokens to 0.58)


def test_cosine_text_similarity_counts_as_remote_for_graders_test() -> None:
    from graders.testing.runner import has_remote_nodes

    def grader(metric: str) -> graders.Grader:
        return graders.from_dict({"type": "weighted", "graders": {"s": {
            "type": "text_similarity", "reference": "{{ item.r }}", "evaluation_metric": metric}}})

    assert has_remote_nodes(grader("cosine"))
    assert not has_remote_nodes(grader("rouge_1"))


def test_cosine_lone_surrogate_fails_no_other_row(server: FakeJudgeServer) -> None:
    # The surrogate used to turn the whole request into embedding_bad_response for every row.
    res = cosine().score(["red apple pie", "\ud800 red apple", "the red apple"], [{"r": "red apple pie"}] * 3)
    assert res.n_error == 0, res.errors
    assert res.scores[0] == pytest.approx(1.0) and res.scores[2] == pytest.approx(_cos("the red apple", "red apple pie"))
    assert res.scores[1] == pytest.approx(_cos("\ufffd red apple", "red apple pie"))


def test_cosine_a_rejected_text_is_isolated_by_halving_the_request(judge_env: object) -> None:
    # A 400 for one text (e.g. over the model's context) used to fail every text in its request.
    from graders.judge import configure_judges

    class Picky(FakeJudgeServer):
        def handle_embeddings(self, body, auth, raw=None):  # type: ignore[no-untyped-def]
            if any("POISON" in t for t in body.get("input", [])):
                from graders.testing.fake_server import _error

                return self._count(_error(400, "invalid_request_error", "input too long", param="input"))
            return super().handle_embeddings(body, auth, raw)

    outs = [f"answer number {i}" for i in range(7)] + ["POISON pill"]
    with Picky() as srv:
        configure_judges(base_url=srv.base_url)
        res = cosine(batch_size=16).score(outs, [{"r": "answer"}] * len(outs))
    assert [[e.kind for e in errs] for errs in res.errors] == [[]] * 7 + [["embedding_request_error"]]
    assert all(res.scores[:7] > 0)
