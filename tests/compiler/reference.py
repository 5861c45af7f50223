"""A deliberately naive per-row evaluator of a config tree: the reference the compiled plan is held to.

It shares only the leaf scorers and extractors with the engine; template
rendering, extraction policy, dedupe, caching, short-circuits and every
combinator's semantics are re-implemented here row by row, in the most
obvious way.
"""

from __future__ import annotations

import math
from typing import Any

from graders.extract import compile_extractor
from graders.formula import compile_formula
from graders.templates import Template, TemplateMissing

SCORED, NA, ERROR = "scored", "not_applicable", "error"


def _on_error(cfg: Any) -> float:
    return math.nan if cfg.on_error == "skip" else 0.0


def _clip(cfg: Any, v: float) -> float:
    if cfg.range is not None and not math.isnan(v):
        return min(max(v, cfg.range[0]), cfg.range[1])
    return v


def naive(cfg: Any, sample: dict[str, Any], item: dict[str, Any]) -> tuple[float, str]:
    v, st = _naive(cfg, sample, item)
    return (v if st == ERROR else _clip(cfg, v)), st


def _leaf(cfg: Any, sample: dict[str, Any], item: dict[str, Any]) -> tuple[float, str]:
    try:
        text = Template.parse(cfg.input).render(sample, item)
        ref = Template.parse(cfg.reference).render(sample, item) if cfg.reference is not None else None
    except TemplateMissing:
        return _on_error(cfg), ERROR
    if cfg.extract is None:
        cands, policy = (text,), "last"
    else:
        ex = compile_extractor(cfg.extract)
        try:
            cands, policy = ex(text), ex.policy
        except Exception:
            return _on_error(cfg), ERROR
    if not cands:
        return 0.0, NA
    if policy == "last":
        answers = [cands[-1]]
    else:
        distinct = list(dict.fromkeys(c.strip() for c in cands))
        if len(distinct) > 1 and policy == "reject":
            return 0.0, NA
        answers = distinct if len(distinct) > 1 else [cands[-1] if len(cands) == 1 else distinct[0]]
    scorer = cfg.make_scorer()
    results = []
    for a in answers:
        b = scorer([a], [ref])
        if 0 in b.errors:
            return _on_error(cfg), ERROR
        results.append((float(b.scores[0]), NA if 0 in b.not_applicable else SCORED))
    if all(st == NA for _, st in results):
        return 0.0, NA
    return min(v for v, _ in results), SCORED


def _combine(statuses: list[str]) -> str:
    if ERROR in statuses:
        return ERROR
    if statuses and all(s == NA for s in statuses):
        return NA
    return SCORED


def _arith(v: float, st: str) -> float:
    return 0.0 if st == NA else v


def _shaping(cfg: Any, sample: dict[str, Any], item: dict[str, Any]) -> tuple[float, str]:
    """length / repetition / self_correction, straight from their formulas, one row at a time."""
    if cfg.type == "self_correction":
        attempts = sample.get("attempts")
        if not isinstance(attempts, list) or len(attempts) < 2:
            return _on_error(cfg), ERROR
        (r1, s1), (r2, s2) = (naive(cfg.grader, {"output_text": a}, item) for a in attempts[-2:])
        r1, r2 = _arith(r1, s1), _arith(r2, s2)
        return r2 + cfg.alpha * (r2 - r1), (ERROR if ERROR in (s1, s2) else SCORED)
    try:
        text = Template.parse(cfg.input).render(sample, item)
    except TemplateMissing:
        return _on_error(cfg), ERROR
    if cfg.unit == "tokens":
        if "completion_ids" not in sample:
            return _on_error(cfg), ERROR
        units: Any = list(sample["completion_ids"])
    else:
        units = text if cfg.unit == "chars" else text.split()
    n = len(units)
    if cfg.type == "repetition":
        if cfg.unit == "words":  # n-grams of lowercased words (the paper's code, open-r1)
            units = text.lower().split()
        grams = [tuple(units[i:i + cfg.ngram]) for i in range(n - cfg.ngram + 1)]
        frac = 1 - len(set(grams)) / len(grams) if grams else 0.0
        return frac * cfg.max_penalty + 0.0, SCORED
    if cfg.shape == "overlong":
        start = cfg.max_length - cfg.buffer
        return (0.0 if n <= start else -1.0 if n > cfg.max_length else (start - n) / cfg.buffer), SCORED
    if cfg.shape == "target":
        return max(0.0, 1 - max(abs(n - cfg.target) - cfg.tolerance, 0) / cfg.target), SCORED
    v, st = naive(cfg.correct, sample, item)
    if math.isnan(v):
        return math.nan, (ERROR if st == ERROR else SCORED)
    a, b = cfg.correct_range if _arith(v, st) >= cfg.threshold else cfg.wrong_range
    if cfg.exceed is not None and n > cfg.max_length:  # the reward past max_length (DESIGN)
        r = cfg.exceed
    else:  # exceed: null holds the curve's end past max_length (TRL)
        r = b + (a - b) * 0.5 * (1 + math.cos(math.pi * min(n / cfg.max_length, 1.0)))
    return r, (ERROR if st == ERROR else SCORED)


def _naive(cfg: Any, sample: dict[str, Any], item: dict[str, Any]) -> tuple[float, str]:
    kind = cfg.type
    if kind in ("length", "repetition", "self_correction"):
        return _shaping(cfg, sample, item)
    if not hasattr(cfg, "graders"):
        return _leaf(cfg, sample, item)
    kids = list(cfg.graders.items())
    if kind == "first_of":
        for _k, c in kids:
            v, st = naive(c, sample, item)
            if st != NA:
                return v, st
        return 0.0, NA
    if kind == "gate":
        status = SCORED
        value = cfg.otherwise
        for k, c in kids[:-1]:
            thr = cfg.threshold.get(k, 1.0) if isinstance(cfg.threshold, dict) else cfg.threshold
            v, st = naive(c, sample, item)
            if st == ERROR:
                status = ERROR
            a = _arith(v, st)
            if math.isnan(a):
                return math.nan, status
            if not a >= thr:
                return value, status
        v, st = naive(kids[-1][1], sample, item)
        return v, (ERROR if status == ERROR else st)
    if kind == "product":
        total, statuses = 1.0, []
        for _k, c in kids:
            v, st = naive(c, sample, item)
            statuses.append(st)
            total *= _arith(v, st)
            if total == 0.0:
                break
        return total, _combine(statuses)
    outs = [naive(c, sample, item) for _k, c in kids]
    statuses = [st for _, st in outs]
    vals = [_arith(v, st) for v, st in outs]
    if kind == "weighted":
        ws = [(cfg.weights or {}).get(k, c.weight) for k, c in kids]
        total = sum(w * v for w, v in zip(ws, vals, strict=True))
        return (total / sum(ws) if cfg.normalize else total), _combine(statuses)
    if kind == "min":
        return (math.nan if any(math.isnan(v) for v in vals) else min(vals)), _combine(statuses)
    if kind == "max":
        return (math.nan if any(math.isnan(v) for v in vals) else max(vals)), _combine(statuses)
    if kind in ("formula", "multi"):
        expr = cfg.expression if kind == "formula" else cfg.calculate_output
        f = compile_formula(expr, [k for k, _ in kids])
        r = f.evaluate_scalar(dict(zip([k for k, _ in kids], vals, strict=True)))
        if r is None:
            return _on_error(cfg), ERROR
        return r, _combine(statuses)
    raise AssertionError(f"reference evaluator does not know {kind}")
