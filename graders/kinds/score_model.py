"""`score_model`: an LLM judge returns a number on `range` from a rubric (OpenAI-compatible).

```yaml
grader:
  type: score_model
  model: gpt-4.1-mini-2025-04-14
  range: [0, 10]
  sampling_params: {temperature: 0, seed: 7, max_completions_tokens: 512}
  input:
    - role: developer
      content: "Score 0-10 how well the answer explains its reasoning. Put the score in result."
    - role: user
      content: "Question: {{ item.question }}\\nAnswer: {{ sample.output_text }}"
```

What a parent sees (`scale`): with the default `auto`, a top-level
score_model's reward is the clipped judge score on `range` (OpenAI's
semantics: `range: [1, 5]` gives 1..5), while a score_model inside a
combinator (`weighted`, `formula`, `min`, ...) hands its parent the score
mapped onto [0, 1] (`(score - min) / (max - min)`), so a judge's scale never
leaks into a sum unannounced; the raw score is in `explain`'s note.
`scale: raw` or `scale: unit` fixes either behaviour anywhere.

The judge is asked for OpenAI's contract `{"steps": [...], "result": <number>}`
(structured output where the endpoint supports it); a score outside `range`
is clipped and counted (`judge_scores_clipped`); a reply with no usable
number is a `judge_parse_error` on the row, never a 0 in disguise. Execution
fields (endpoint, concurrency, rate limits, retries, timeouts, cache, `n`
samples with a `reducer`, prices) are described in `graders.judge.config`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from graders.judge.config import JudgeConfig
from graders.registry import grader_kind


@grader_kind
class ScoreModelConfig(JudgeConfig):
    """An LLM judge that returns a score on `range`.

    Args:
        model: the judge model.
        input: messages (role + templated content) holding the rubric and the sample.
        range: [min, max] of the judge's scale (default [0, 1]); replies outside are clipped.
        sampling_params: temperature, top_p, seed, max_completions_tokens, reasoning_effort.
        n: samples per judgment, reduced by `reducer` (mean | median | majority; default mean).
        scale: auto (raw at the top level, mapped onto [0, 1] inside a combinator) | raw | unit.
    """

    type: Literal["score_model"]
    range: tuple[float, float] | None = Field(
        (0.0, 1.0), description="[min, max] of the judge's scale; scores outside are clipped and counted.")
    scale: Literal["auto", "raw", "unit"] = Field(
        "auto", description="auto: the raw score at the top level, mapped onto [0, 1] inside a combinator; "
                            "raw: always the clipped score on `range`; unit: always mapped onto [0, 1].")

    judge_mode = "score"
