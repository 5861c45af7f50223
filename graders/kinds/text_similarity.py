"""`text_similarity`: OpenAI's text similarity grader, computed locally.

```yaml
grader:
  type: text_similarity
  input: "{{ sample.output_text }}"
  reference: "{{ item.summary }}"
  evaluation_metric: rouge_l      # fuzzy_match bleu gleu meteor rouge_1..rouge_5 rouge_l cosine
```

Field names are OpenAI's (`input`, `reference`, `evaluation_metric`,
`pass_threshold`). The score is the metric's value in [0, 1]; `pass_threshold`
(OpenAI Evals' pass mark) is kept and read by `graders test` reports only, as
in RFT, where it is ignored. Which library call computes each metric, and how
text is tokenised, is in `graders.textmetrics`. `cosine` embeds both texts
through an OpenAI-compatible `/embeddings` endpoint (`graders.judge.embeddings`:
batched, deduplicated, cached on disk, retried, rate-limited like judges).

An empty input or reference is scored as the library scores it (0 for every
metric on an empty input against a non-empty reference), never skipped:
OpenAI scores it too. Work is bounded by size, so it holds on any thread or
process: more than `max_words` words (counted as tokens: each ASCII
letter/digit run and each other non-space character) in either text, or (rouge_l and meteor,
which are quadratic) more than `max_word_pairs` word pairs, is an
`input_too_long` row error that follows `on_error`; so is, for fuzzy_match,
a shorter side over `partial_max_chars` when the lengths differ 1.5x or more
(WRatio's partial alignment is quadratic: 1,240 chars in 83,000 took 0.8 s,
4,169 in 83,000 took 16 s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, FiniteFloat, model_validator

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

Metric = Literal["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5",
                 "rouge_l", "cosine"]
DEFAULT_EMBEDDING_MODEL = "text-embedding-3-large"  # what OpenAI's cosine metric uses


# Counted for the size bounds: each maximal ASCII letter/digit run and each other non-space
# character. No metric's tokenizer makes more tokens than this (rouge-score keeps [a-z0-9] runs;
# nltk's Treebank splits punctuation off and at most doubles a word), and subn counts without copies.
_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")


def _count_tokens(text: str, cap: int) -> int:
    """About as many tokens as the metrics will see, never far fewer (a bound on their work);
    counting stops past `cap` (10 MB of "x," would otherwise take seconds just to count)."""
    return sum(1 for _ in islice(_TOKEN.finditer(text), cap + 1))


@grader_kind
class TextSimilarityConfig(LeafConfig):
    """Similarity of `input` to `reference` by one of OpenAI's metrics, in [0, 1].

    Args:
        evaluation_metric: fuzzy_match, bleu, gleu, meteor, rouge_1..rouge_5, rouge_l, cosine.
        pass_threshold: OpenAI Evals' pass mark (accepted; the score is not thresholded).
        max_words, max_word_pairs, partial_max_chars: size bounds (an `input_too_long` row error past them).
        model: embedding model for `cosine` (default text-embedding-3-large, as OpenAI).
        base_url, api_key_env, concurrency, timeout, max_retries, batch_size, cache, cache_dir:
            the embeddings endpoint, as for LLM judges (cosine only).
    """

    type: Literal["text_similarity"]
    evaluation_metric: Metric
    pass_threshold: FiniteFloat | None = Field(None, description="OpenAI Evals pass mark (kept for compatibility).")
    max_words: int = Field(20_000, ge=1, description="Longer input or reference: an `input_too_long` row error.")
    partial_max_chars: int = Field(
        1_000, ge=1, description="fuzzy_match: WRatio aligns the shorter text inside the longer one when their "
        "lengths differ 1.5x or more, in time growing with the square of the shorter; a shorter side longer than "
        "this is then an `input_too_long` row error (as the `fuzzy` kind's bound).")
    max_word_pairs: int = Field(
        4_000_000, ge=1, description="rouge_l and meteor are quadratic: words(input) x words(reference) above this "
        "is an `input_too_long` row error (4e6 is about 3 s of rouge_l).")
    # cosine only: the embeddings endpoint (same resolution rules as judges)
    model: str | None = Field(None, min_length=1, description="Embedding model for cosine (default text-embedding-3-large).")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI).")
    api_key_env: str | None = Field(None, description="Environment variable holding the key (default OPENAI_API_KEY).")
    concurrency: int = Field(8, ge=1, le=256, description="Embedding requests in flight at once (cosine).")
    batch_size: int = Field(256, ge=1, le=2048, description="Texts per embeddings request (cosine).")
    timeout: float = Field(60.0, gt=0, description="Seconds per embeddings request attempt (cosine).")
    max_retries: int = Field(4, ge=0, le=20, description="Retries on 429, 5xx, timeouts (cosine).")
    cache: bool = Field(True, description="Keep embeddings on disk so a re-run sends nothing (cosine).")
    cache_dir: str | None = Field(None, description="Default: $GRADERS_CACHE_DIR/judge, else ./.graders_cache/judge.")

    deterministic: ClassVar[bool] = True

    @model_validator(mode="after")
    def _cosine_fields(self) -> Any:
        if self.evaluation_metric != "cosine":
            extra = [k for k in ("model", "base_url", "api_key_env", "cache_dir") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"{extra} apply to evaluation_metric: cosine only "
                                 f"(this grader uses {self.evaluation_metric})")
        return self

    def make_scorer(self) -> LeafScorer:
        from graders import textmetrics

        metric = self.evaluation_metric
        if metric == "cosine":
            from graders.judge.embeddings import EmbeddingSettings, cosine_scorer

            return cosine_scorer(EmbeddingSettings(
                model=self.model or DEFAULT_EMBEDDING_MODEL, base_url=self.base_url, api_key_env=self.api_key_env,
                concurrency=self.concurrency, batch_size=self.batch_size, timeout=self.timeout,
                max_retries=self.max_retries, cache=self.cache, cache_dir=self.cache_dir))
        textmetrics.require(metric)  # load time: a missing library or corpus is a config error, not 0s
        fn = textmetrics.pair_function(metric)
        max_words, max_pairs, partial_max = self.max_words, self.max_word_pairs, self.partial_max_chars
        quadratic = metric in ("rouge_l", "meteor")
        partial = metric == "fuzzy_match"

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            refs_s = [r or "" for r in refs]
            errors: dict[int, tuple[str, str]] = {}
            for i, (a, b) in enumerate(zip(inputs, refs_s, strict=True)):
                # Tokens, not whitespace words: the metrics' tokenizers split punctuation off, so
                # "x," * 500_000 is one whitespace word but 1e6 tokens (meteor took 33 s on it).
                # Every token is at least one character, so short texts need no counting.
                na = len(a) if len(a) <= max_words else _count_tokens(a, max_words)
                nb = len(b) if len(b) <= max_words else _count_tokens(b, max_words)
                if max(na, nb) > max_words:
                    errors[i] = ("input_too_long", f"more than {max_words} words in the "
                                 f"{'input' if na >= nb else 'reference'}; max_words is {max_words}")
                elif quadratic and na * nb > max_pairs and (
                        _count_tokens(a, max_words) * _count_tokens(b, max_words) > max_pairs):
                    na, nb = _count_tokens(a, max_words), _count_tokens(b, max_words)
                    errors[i] = ("input_too_long", f"{na} x {nb} words exceed max_word_pairs={max_pairs} for {metric}")
                elif partial:
                    short, long_ = sorted((len(a), len(b)))
                    if short > partial_max and long_ >= 1.5 * short:
                        errors[i] = ("input_too_long", f"fuzzy_match aligns the shorter text ({short} chars) inside "
                                     f"the longer ({long_}); partial_max_chars is {partial_max}")
            keep = [i for i in range(len(inputs)) if i not in errors]
            out = np.zeros(len(inputs))
            if keep:
                vals = fn([inputs[i] for i in keep], [refs_s[i] for i in keep])
                out[keep] = np.clip(np.asarray(vals, dtype=np.float64), 0.0, 1.0)
            return LeafBatch(out, errors=errors)

        return score
