"""Config fields and the plan node shared by the kinds that measure a completion.

`length`, `repetition` and `group_length` read one text per row (`input`,
default the completion) in a `unit`: chars, words or tokens. Tokens come,
per row, from the caller's `sample.completion_ids` (TRL passes them; other
callers put the ids in the sample dict) when `input` is the completion itself,
else from the `tokenizer` the config names (loaded once, at load time, from
local files only); with neither, the row is a `missing_tokens` error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import Field, field_validator

from graders._types import ERROR, NOT_APPLICABLE
from graders.errors import ConfigError, ConfigIssue
from graders.extract import ExtractSpec
from graders.nodes import NodeConfig
from graders.plan import BatchContext, Compiler, PlanNode, _Failure
from graders.shaping import units
from graders.shaping.units import Unit
from graders.templates import Template

COMPLETION_IDS = "completion_ids"
# `extract` found nothing to measure: the row is not applicable (score 0), not an error.
NO_TEXT = ("no_text", "extract found nothing to measure")


class MeasureConfig(NodeConfig):
    """Fields every measuring kind takes."""

    input: str = Field("{{ sample.output_text }}", description="Template for the text to measure.")
    extract: ExtractSpec | None = Field(
        None, description="Measure only what this extracts from the input (e.g. strip_think: the text after "
        "</think>); the last candidate is measured; nothing extracted = not applicable.")
    unit: Unit = Field("tokens", description="What a length counts: chars, words (whitespace-separated) or tokens.")
    tokenizer: str | None = Field(
        None, description="For unit: tokens without sample.completion_ids: a local tokenizer.json (or a "
        "directory with one), or a model id already in the local Hugging Face cache. Never downloaded.")

    @field_validator("input")
    @classmethod
    def _template_parses(cls, v: str) -> str:
        Template.parse(v)
        return v


def words_by_text(ctx: BatchContext, texts: Sequence[str]) -> dict[str, list[str]]:
    """Each distinct text split into words once per batch, shared by every node that counts words."""
    split: dict[str, list[str]] = ctx.memo.setdefault(("split_words",), {})  # type: ignore[assignment]
    for t in set(texts) - split.keys():
        split[t] = t.split()
    return split


def child_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class MeasureNode(PlanNode):
    """Renders `input` per row and measures it in the configured unit."""

    def __init__(self, config: MeasureConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        self.kind = config.type  # type: ignore[attr-defined]
        self.input_tpl = Template.parse(config.input)
        self.unit = config.unit
        self.extractor = None
        if config.extract is not None:
            from graders.extract import compile_extractor

            self.extractor = compile_extractor(config.extract)
        # Token ids describe the whole completion, so they stand for `input` only when it is the completion.
        self.ids_usable = self.input_tpl.is_output_text and self.extractor is None
        self.encoder = None
        if config.unit == "tokens" and config.tokenizer is not None:
            from graders.shaping.tokenizer import TokenizerNotFound, load_encoder

            try:
                self.encoder = load_encoder(config.tokenizer)
            except TokenizerNotFound as exc:
                issue = ConfigIssue(f"tokenizer {exc}", path=path or "<root>")
                raise ConfigError(str(issue), [issue]) from None

    def describe_unit(self) -> str:
        if self.unit != "tokens":
            return f"unit={self.unit}"
        src = ["sample.completion_ids"] if self.ids_usable else []
        if self.encoder is not None:
            src.append("tokenizer")
        return f"unit=tokens from {' or '.join(src) or 'nothing (no ids, no tokenizer)'}"

    def texts(self, ctx: BatchContext, rows: np.ndarray) -> tuple[list[str], dict[int, tuple[str, str]]]:
        """Rendered (and extracted) input per row; failures become '' plus an error (position ->
        (kind, message)); nothing extracted becomes '' plus NO_TEXT (not applicable)."""
        if self.extractor is not None:
            cands = ctx.extracted(self.input_tpl, self.extractor, rows)
            errors: dict[int, tuple[str, str]] = {}
            out: list[str] = []
            for j, c in enumerate(cands):
                if type(c) is _Failure:
                    errors[j] = (c.kind, c.message)
                    out.append("")
                elif not c:
                    errors[j] = NO_TEXT
                    out.append("")
                else:
                    out.append(c[-1])
            return out, errors
        col = ctx.rendered(self.input_tpl, rows)
        if _Failure not in set(map(type, col)):
            return col, {}
        errors = {j: (t.kind, t.message) for j, t in enumerate(col) if type(t) is _Failure}
        return ["" if type(t) is _Failure else t for t in col], errors

    def token_ids(self, ctx: BatchContext, rows: np.ndarray) -> tuple[list[Sequence[int]], dict[int, tuple[str, str]]]:
        """Token ids per row: the caller's completion_ids, else the tokenizer's encoding."""
        m = len(rows)
        ids: list[Any] = ctx.sample_field(rows, COMPLETION_IDS) if self.ids_usable else [None] * m
        errors: dict[int, tuple[str, str]] = {}
        todo = [j for j in range(m) if ids[j] is None]
        for j in range(m):
            v = ids[j]
            if v is not None and not isinstance(v, list | tuple):
                if hasattr(v, "tolist"):  # numpy array / torch tensor
                    ids[j] = v.tolist()
                else:
                    errors[j] = ("bad_completion_ids", f"sample.completion_ids must be a list of token ids, got {type(v).__name__}")
                    ids[j] = ()
        if todo:
            texts, terr = self.texts(ctx, rows[todo])
            if self.encoder is not None:
                for j, enc in zip(todo, self.encoder(texts), strict=True):
                    ids[j] = enc
                for k, err in terr.items():
                    errors[todo[k]] = err
            else:
                why = ("unit: tokens needs the token ids of the completion: pass them as sample.completion_ids "
                       "(TRL does), or name a local `tokenizer:`, or measure in chars or words")
                if not self.ids_usable:
                    why = ("unit: tokens with `extract` or an `input` other than the completion needs a "
                           "`tokenizer:` (sample.completion_ids describe the whole completion)")
                for j in todo:
                    errors[j] = ("missing_tokens", why)
                    ids[j] = ()
        return ids, errors

    def lengths(self, ctx: BatchContext, rows: np.ndarray) -> tuple[np.ndarray, dict[int, tuple[str, str]]]:
        """Length of each row's input in the unit (float64), and per-position errors."""
        if self.unit == "tokens":
            ids, errors = self.token_ids(ctx, rows)
            return np.fromiter(map(len, ids), dtype=np.float64, count=len(ids)), errors
        texts, errors = self.texts(ctx, rows)
        if self.unit == "words":
            split = words_by_text(ctx, texts)
            return np.fromiter((len(split[t]) for t in texts), dtype=np.float64, count=len(texts)), errors
        return units.count(texts, self.unit), errors

    def sequences(self, ctx: BatchContext, rows: np.ndarray) -> tuple[list[Sequence[Any]], dict[int, tuple[str, str]]]:
        """The unit sequence of each row's input (chars: the text; words: its split; tokens: ids)."""
        if self.unit == "tokens":
            return self.token_ids(ctx, rows)
        texts, errors = self.texts(ctx, rows)
        if self.unit == "chars":
            return texts, errors
        split = words_by_text(ctx, texts)
        return list(map(split.__getitem__, texts)), errors

    def apply_errors(self, ctx: BatchContext, rows: np.ndarray, values: np.ndarray, status: np.ndarray,
                     errors: dict[int, tuple[str, str]]) -> None:
        """Record per-position errors: the row gets this node's on_error value."""
        if not errors:
            return
        row_list = rows.tolist()
        for j, (kind, message) in errors.items():
            if (kind, message) == NO_TEXT:
                values[j], status[j] = 0.0, NOT_APPLICABLE
                continue
            values[j] = self.fail_value(ctx, row_list[j], kind, message)
            status[j] = ERROR
