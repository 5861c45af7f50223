"""`label_model`: an LLM judge picks one of `labels`; the row passes (1) when it is in `passing_labels`.

```yaml
grader:
  type: label_model
  model: gpt-4.1-mini-2025-04-14
  labels: [polite, neutral, rude]
  passing_labels: [polite, neutral]
  input:
    - {role: system, content: "Classify the tone of the reply."}
    - {role: user, content: "{{ sample.output_text }}"}
```

As in OpenAI's graders, `passing_labels` must be a subset of `labels`, and
`input` takes the parts score_model takes (openai-python's LabelModelGrader:
text, images, audio). A reply naming no label is a `judge_parse_error`, a
label outside `labels` a `judge_invalid_label`. With `n > 1` the default
reducer is `majority` (ties go to the label listed first); `mean` gives the
fraction of samples that chose a passing label.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from graders.judge.config import JudgeConfig
from graders.registry import grader_kind


@grader_kind
class LabelModelConfig(JudgeConfig):
    """An LLM judge that chooses a label.

    Args:
        model: the judge model (should support structured outputs).
        input: messages (role + templated text content).
        labels: the labels the judge chooses from.
        passing_labels: the labels that score 1 (a subset of `labels`); any other scores 0.
    """

    type: Literal["label_model"]
    labels: list[str] = Field(..., min_length=2, description="The labels the judge chooses from.")
    passing_labels: list[str] = Field(..., min_length=1, description="Labels that pass (score 1); a subset of labels.")

    judge_mode = "label"
    text_only = False  # openai-python's LabelModelGrader.Input takes images and audio too

    @model_validator(mode="after")
    def _labels(self) -> Any:
        if any(not lab.strip() for lab in self.labels):
            raise ValueError("labels must be non-empty strings")
        dupes = sorted({lab for lab in self.labels if self.labels.count(lab) > 1})
        if dupes:
            raise ValueError(f"labels are repeated: {dupes}")
        unknown = [lab for lab in self.passing_labels if lab not in self.labels]
        if unknown:
            raise ValueError(f"passing_labels {unknown} are not in labels {self.labels}")
        if self.reducer == "median" and self.n > 1:
            pass  # median of pass/fail (0, 0.5 or 1) is allowed
        return self
