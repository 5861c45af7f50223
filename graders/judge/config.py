"""Config models shared by the LLM-judge kinds (`score_model`, `label_model`).

Field names follow OpenAI's graders (`model`, `input` messages, `range`,
`sampling_params`, `labels`, `passing_labels`, `pass_threshold`); the
execution fields (endpoint, concurrency, rate limits, retries, timeouts,
cache, `n` + `reducer`, prices) are this library's. Everything is checked at
load time: templates may only read `sample.*` and `item.*`, reasoning models
refuse `temperature`, and other models refuse `reasoning_effort`.

This module imports pydantic only (never openai), so loading a grader stays fast.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from graders.nodes import NodeConfig
from graders.templates import Template

if TYPE_CHECKING:
    from graders.plan import Compiler, PlanNode

# Models that reject `temperature` (and accept `reasoning_effort`): OpenAI's o-series and gpt-5
# family, with or without a date suffix or a provider prefix ("openai/o4-mini").
_REASONING_MODEL = re.compile(r"^(?:[\w.-]+/)*(?:o1|o3|o4-mini|gpt-5)(?:[-.:_].*)?$", re.I)
# Open-weight reasoning models that accept both `temperature` and `reasoning_effort`.
_REASONING_EFFORT_OK = re.compile(r"^(?:[\w.-]+/)*gpt-oss(?:[-.:_].*)?$", re.I)

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]


def is_reasoning_model(model: str) -> bool:
    """True for o1 / o3 / o4-mini / gpt-5* style names (which reject `temperature`)."""
    return bool(_REASONING_MODEL.match(model.strip()))


def accepts_reasoning_effort(model: str) -> bool:
    return is_reasoning_model(model) or bool(_REASONING_EFFORT_OK.match(model.strip()))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_template(v: str) -> str:
    Template.parse(v)  # ValueError names the bad variable; only sample.* and item.* exist
    return v


class _TextPart(_Strict):
    text: str

    @field_validator("text")
    @classmethod
    def _template(cls, v: str) -> str:
        return _check_template(v)


class InputText(_TextPart):
    type: Literal["input_text"]


class OutputText(_TextPart):
    type: Literal["output_text"]


class InputImage(_Strict):
    type: Literal["input_image"]
    image_url: str = Field(..., description="URL or data: URL; may be a template such as '{{ item.image }}'.")
    detail: Literal["auto", "low", "high"] = "auto"

    @field_validator("image_url")
    @classmethod
    def _template(cls, v: str) -> str:
        return _check_template(v)


class InputAudio(_Strict):
    type: Literal["input_audio"]
    data: str = Field(..., description="Base64 audio; may be a template.")
    format: Literal["wav", "mp3"] = "wav"

    @field_validator("data")
    @classmethod
    def _template(cls, v: str) -> str:
        return _check_template(v)


ContentPart = Annotated[InputText | OutputText | InputImage | InputAudio, Field(discriminator="type")]


class Message(_Strict):
    """One judge message. `content` is a template string or a list of parts."""

    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[ContentPart]
    type: Literal["message"] | None = None

    @field_validator("content")
    @classmethod
    def _content(cls, v: Any) -> Any:
        if isinstance(v, str):
            _check_template(v)
        elif not v:
            raise ValueError("content needs at least one part")
        return v

    def texts(self) -> list[str]:
        if isinstance(self.content, str):
            return [self.content]
        return [p.text for p in self.content if isinstance(p, InputText | OutputText)]


class SamplingParams(_Strict):
    """OpenAI's `sampling_params` (note its spelling `max_completions_tokens`)."""

    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    seed: int | None = None
    max_completions_tokens: int | None = Field(
        None, gt=0, validation_alias=AliasChoices("max_completions_tokens", "max_completion_tokens"),
        description="Upper bound on the judge's reply tokens (sent as `max_completion_tokens`).")
    reasoning_effort: ReasoningEffort | None = None

    def api_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.temperature is not None:
            out["temperature"] = self.temperature
        if self.top_p is not None:
            out["top_p"] = self.top_p
        if self.seed is not None:
            out["seed"] = self.seed
        if self.max_completions_tokens is not None:
            out["max_completion_tokens"] = self.max_completions_tokens
        if self.reasoning_effort is not None:
            out["reasoning_effort"] = self.reasoning_effort
        return out


class Prices(_Strict):
    """USD per million tokens."""

    input: float = Field(..., ge=0)
    output: float = Field(..., ge=0)
    cached_input: float | None = Field(None, ge=0)


class JudgeConfig(NodeConfig):
    """Fields every LLM judge shares. See `score_model` and `label_model`."""

    model: str = Field(..., min_length=1, description="Judge model name, as the endpoint knows it.")
    input: list[Message] = Field(..., min_length=1, description="Messages sent to the judge; text may use templates.")
    sampling_params: SamplingParams = Field(default_factory=SamplingParams)
    pass_threshold: float | None = Field(None, description="OpenAI Evals pass mark (kept for compatibility).")

    # endpoint
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI).")
    api_key: str | None = Field(None, description="API key (prefer api_key_env: keys in files leak).")
    api_key_env: str | None = Field(None, description="Environment variable holding the key (default OPENAI_API_KEY).")
    reasoning: bool | None = Field(
        None, description="Whether the model is a reasoning model (rejects temperature, takes reasoning_effort). "
        "Default: inferred from the name (o1, o3, o4-mini, gpt-5*).")
    extra_body: dict[str, Any] | None = Field(None, description="Extra request fields for this endpoint (vLLM options...).")
    response_format: Literal["auto", "json_schema", "text"] = Field(
        "auto", description="auto: ask for JSON-schema structured output and fall back to plain text when the "
        "endpoint refuses it; json_schema: always; text: never (the reply is parsed from text).")
    delimit_sample: bool = Field(
        True, description="Wrap every `sample.*` value in id-tagged UNTRUSTED markers and tell the judge that "
        "text inside is data, not instructions.")
    prompt_style: Literal["graders", "openai"] = Field(
        "graders", description="graders: add graders' system message (output contract, untrusted-data rule) and "
        "the UNTRUSTED markers (delimit_sample); openai: send exactly the config's messages, roles as written, no "
        "system message and no markers (OpenAI's text); the output contract rides on response_format.")

    # noisy judges
    n: int = Field(1, ge=1, le=32, description="Samples per judgment (the request's `n`).")
    reducer: Literal["mean", "median", "majority"] | None = Field(
        None, description="How the n samples become one score (default: mean for scores, majority for labels).")

    # execution
    concurrency: int = Field(64, ge=1, le=4096, description="Judge requests in flight at once.")
    requests_per_minute: float | None = Field(None, gt=0)
    tokens_per_minute: float | None = Field(None, gt=0)
    timeout: float = Field(60.0, gt=0, description="Seconds per request attempt.")
    max_retries: int = Field(4, ge=0, le=20, description="Retries on 429, 5xx, timeouts and connection errors.")
    retry_backoff: float = Field(0.5, gt=0, le=60, description="First backoff in seconds (doubles, with jitter).")
    deadline: float | None = Field(
        None, gt=0, description="Seconds for a whole batch of this judge; unfinished rows get `judge_timeout`.")
    cache: bool = Field(True, description="Keep replies on disk so a re-run of the same requests is free.")
    cache_dir: str | None = Field(None, description="Default: $GRADERS_CACHE_DIR/judge, else ./.graders_cache/judge.")
    prices: Prices | None = Field(None, description="Token prices for the cost estimate (default: a built-in table).")

    judge_mode: ClassVar[str] = "score"
    text_only: ClassVar[bool] = False
    cost: ClassVar[str] = "remote"  # read by tools that order or time work (graders test)
    deterministic: ClassVar[bool] = False  # replies are cached on disk, not in the in-memory pair cache

    @model_validator(mode="after")
    def _judge_rules(self) -> Any:
        reasoning = self.reasoning if self.reasoning is not None else is_reasoning_model(self.model)
        sp = self.sampling_params
        if reasoning and sp.temperature is not None and sp.temperature != 1:  # 1: their fixed value, accepted
            raise ValueError(
                f"sampling_params.temperature cannot be set for reasoning model {self.model!r} "
                "(o1, o3, o4-mini and gpt-5* accept only 1); remove it, or set `reasoning: false` if your "
                "endpoint's model accepts it")
        if sp.reasoning_effort is not None:
            ok = self.reasoning if self.reasoning is not None else accepts_reasoning_effort(self.model)
            if not ok:
                raise ValueError(
                    f"sampling_params.reasoning_effort is only for reasoning models; {self.model!r} is not one "
                    "(o1, o3, o4-mini, gpt-5*, gpt-oss); remove it, or set `reasoning: true`")
        if self.text_only:
            for i, m in enumerate(self.input):
                if not isinstance(m.content, str):
                    for p in m.content:
                        if not isinstance(p, InputText | OutputText):
                            raise ValueError(f"input[{i}]: a {self.type_name()} takes text parts only, got {p.type}")
        if self.api_key is not None and self.api_key_env is not None:
            raise ValueError("set api_key or api_key_env, not both")
        if self.extra_body:
            clash = set(self.extra_body) & {"model", "messages", "n", "response_format", "stream"}
            if clash:
                raise ValueError(f"extra_body may not set {sorted(clash)} (the judge sets them)")
        return self

    @classmethod
    def type_name(cls) -> str:
        f = cls.model_fields.get("type")
        args = getattr(f.annotation, "__args__", ()) if f is not None else ()
        return str(args[0]) if args else cls.__name__

    def is_reasoning(self) -> bool:
        return self.reasoning if self.reasoning is not None else is_reasoning_model(self.model)

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        from graders.judge.node import JudgeNode

        return JudgeNode(self, path, compiler)
