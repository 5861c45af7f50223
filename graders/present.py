"""How results look on a terminal: explain trees, `graders score` summaries, plurals.

Shared by `graders.cli` and `graders.testing` (neither imports the other for it).
"""

from __future__ import annotations

import json
import math
from typing import Any


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 row`, `2 rows` (`many` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def format_tree(node: dict[str, Any], indent: int = 0) -> str:
    """An `explain` tree as indented text: score, status, time, then each node's facts."""
    pad = "  " * indent
    score = node.get("score")
    score_s = "-" if score is None else f"{score:.4g}"
    lines = [f"{pad}{node['key']}: {score_s} [{node['status']}]  {node.get('time_ms', 0):.2f} ms  ({node['node']})"]
    for field in ("detail", "input", "extracted", "reference", "note"):
        if field in node:
            val = node[field]
            if field == "detail":
                lines.append(f"{pad}    {val}")
                continue
            text = json.dumps(val, ensure_ascii=False) if not isinstance(val, str) else repr(val)
            if len(text) > 200:
                text = text[:160] + " ... " + text[-35:]
            lines.append(f"{pad}    {field}: {text}")
    for e in node.get("errors", []):
        lines.append(f"{pad}    error {e['kind']}: {e['message']}")
    for child in node.get("children", []):
        lines.append(format_tree(child, indent + 1))
    return "\n".join(lines)


def format_tree_safe(tree: dict[str, Any]) -> str:
    """`format_tree`, or the raw JSON when the tree is malformed (never lost)."""
    try:
        return format_tree(tree)
    except Exception:  # noqa: BLE001
        return json.dumps(tree, indent=2, ensure_ascii=False, default=str)


def merge_usage(acc: dict[str, Any], new: dict[str, Any]) -> None:
    """Add one batch's judge usage (nested counters) into `acc`."""
    for k, v in new.items():
        if isinstance(v, int | float) and not isinstance(v, bool):
            acc[k] = acc.get(k, 0) + v
        elif isinstance(v, dict):
            merge_usage(acc.setdefault(k, {}), v)
        else:
            acc[k] = v


def summary_table(name: str, scores: Any, status: Any, comp_sums: dict[str, list[float]],
                  usage: dict[str, Any], counters: dict[str, int], elapsed: float) -> str:
    """What `graders score` prints on stderr after the run."""
    import numpy as np

    n = len(scores)
    lines = [f"graders score: {name}: {plural(n, 'row')} in {elapsed:.2f}s ({n / max(elapsed, 1e-9):,.0f} rows/s)"]
    lines.append(f"  scored {int((status == 0).sum())}  not applicable {int((status == 1).sum())}  "
                 f"errors {int((status == 2).sum())}")
    finite = scores[~np.isnan(scores)] if n else scores
    if len(finite):
        q = np.quantile(finite, [0, 0.25, 0.5, 0.75, 1])
        lines.append(f"  score mean {finite.mean():.4f}  std {finite.std():.4f}  min {q[0]:.3g}  "
                     f"p25 {q[1]:.3g}  median {q[2]:.3g}  p75 {q[3]:.3g}  max {q[4]:.3g}"
                     + (f"  NaN {n - len(finite)}" if n - len(finite) else ""))
        lo, hi = float(q[0]), float(q[4])
        if hi > lo:
            counts, edges = np.histogram(finite, bins=10, range=(lo, hi))
            top = max(counts.max(), 1)
            lines.append("  distribution:")
            for c, a, b in zip(counts, edges[:-1], edges[1:], strict=True):
                lines.append(f"    [{a:7.3g}, {b:7.3g}{']' if b == hi else ')'} {'#' * math.ceil(30 * c / top):<30} {c}")
        else:
            lines.append(f"  every score is {lo:g}")
    if comp_sums:
        lines.append("  component means:")
        width = max(len(k) for k in comp_sums)
        for k, (s, c) in comp_sums.items():
            mean = f"{s / c:.4f}" if c else "n/a"
            lines.append(f"    {k:<{width}}  {mean}  (ran on {plural(int(c), 'row')})")
    if counters:
        lines.append("  work: " + ", ".join(f"{k} {v}" for k, v in sorted(counters.items())))
    if usage:
        lines.append("  judge usage: " + json.dumps(usage, sort_keys=True))
    return "\n".join(lines)
