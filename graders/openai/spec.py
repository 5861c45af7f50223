"""OpenAI's grader vocabulary: the types, fields, operations, metrics and formula functions it accepts.

Kept in one place so the importer (`graders.openai.importer`) and the exporter
(`graders.openai.exporter`) agree on what OpenAI can express.
"""

from __future__ import annotations

from typing import Any

from graders.errors import ConfigError, ConfigIssue

GUIDE = "https://developers.openai.com/api/docs/guides/graders"

TYPES = ("string_check", "text_similarity", "score_model", "label_model", "python", "multi", "endpoint")
OPERATIONS = ("eq", "ne", "like", "ilike")
OPERATION_ALIASES = {"neq": "ne"}  # the guide's prose says `neq`; the API schema says `ne`
METRICS = ("cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4",
           "rouge_5", "rouge_l")
ROLES = ("user", "assistant", "system", "developer")
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")  # openai-python's ReasoningEffort
FORMULA_FUNCTIONS = frozenset({"min", "max", "abs", "floor", "ceil", "exp", "sqrt", "log"})

# Fields each type takes (besides `type` and `name`); `required` must be present.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # type -> (required, optional)
    "string_check": (("input", "reference", "operation"), ()),
    "text_similarity": (("input", "reference", "evaluation_metric"), ("pass_threshold",)),
    "score_model": (("model", "input"), ("range", "sampling_params", "sampling_parameters", "pass_threshold")),
    # sampling_params: the graders guide's label_model example sets it (the SDK's type lacks it).
    "label_model": (("model", "input", "labels", "passing_labels"), ("sampling_params", "sampling_parameters")),
    "python": (("source",), ("image_tag", "pass_threshold")),
    # `invalid_grade` appears in Azure's multi spec (no semantics given): accepted, not applied.
    "multi": (("graders", "calculate_output"), ("invalid_grade",)),
    # Azure Foundry's endpoint grader has no public schema: `url` is the one field every description
    # has; the rest are this library's execution options (see graders/kinds/endpoint.py).
    "endpoint": (("url",), ("headers", "api_key_env", "timeout", "max_retries", "concurrency", "rate_limit",
                            "range", "pass_threshold")),
}
SAMPLING_PARAMS = ("seed", "top_p", "temperature", "max_completions_tokens", "reasoning_effort")
# the Chat API's spelling, and `max_tokens` (the graders guide's label_model example)
SAMPLING_ALIASES = {"max_completion_tokens": "max_completions_tokens", "max_tokens": "max_completions_tokens"}


def issue(path: str, message: str, filename: str | None = None) -> ConfigError:
    """A located import/export error: `path` is where in the OpenAI JSON (or our tree) it is."""
    it = ConfigIssue(message, path=path, file=filename)
    return ConfigError(str(it), [it])


def join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
