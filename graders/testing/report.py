"""The text summary `graders test` prints, and a JSON form of the same facts."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.present import format_tree_safe, plural
from graders.testing.metrics import Metrics
from graders.testing.runner import TestRun


def _f(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _pass_fail_line(m: Metrics, thr: float) -> str:
    b = m.binary
    return (f"accuracy {_f(b.accuracy)}  precision {_f(b.precision)}  recall {_f(b.recall)}  F1 {_f(b.f1)}"
            f"   (TP {b.tp}  FP {b.fp}  FN {b.fn}  TN {b.tn}; pass = score >= {thr:g})")


def _table(header: list[str], rows: list[list[str]], indent: str = "    ") -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = [indent + "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True)))]
    for r in rows:
        lines.append(indent + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return lines


def text_report(run: TestRun, *, show: int = 20, color: bool = False) -> str:
    m = run.metrics
    n_bin = int(run.labels.is_binary.sum())
    src = f" ({run.grader_source})" if run.grader_source else ""
    out = [f"graders test: {run.grader_name}{src}"]
    out.append(f"  {run.n} examples ({n_bin} pass/fail, {run.n - n_bin} numeric) from {', '.join(run.sources) or '-'}")
    st = run.status
    out.append(f"  scored in {run.score_seconds:.2f}s; {int((st == 1).sum())} not applicable, {int((st == 2).sum())} with errors")
    out.append(f"  agreement       {_f(m.agreement, 4)}  ({m.n_agree}/{m.n})")
    out.append(f"  pass/fail       {_pass_fail_line(m, run.pass_threshold)}")
    if m.n_numeric:
        out.append(f"  numeric labels  MAE {_f(m.mae, 4)}  Spearman {_f(m.spearman)}  ({plural(m.n_numeric, 'row')})")
    if run.by_tag:
        out.append("  by tag:")
        rows = [[t, str(tm.n), _f(tm.agreement), _f(tm.binary.precision), _f(tm.binary.recall), _f(tm.binary.f1),
                 _f(tm.mae), _f(tm.spearman)] for t, tm in run.by_tag.items()]
        out.extend(_table(["tag", "n", "agree", "prec", "recall", "F1", "MAE", "spearman"], rows))
    if run.by_component:
        out.append("  by component (mean score on rows labeled pass / fail / disagreeing; AUC vs pass labels):")
        rows = [[c.path, c.kind, str(c.n_ran), _f(c.mean_pass), _f(c.mean_fail), _f(c.mean_disagree), _f(c.auc),
                 _f(c.spearman)] for c in run.by_component]
        out.extend(_table(["component", "kind", "ran", "pass", "fail", "disagree", "AUC", "spearman"], rows))
    cal = run.calibrations[0] if run.calibrations else None
    if cal is not None and cal.ece is not None:
        out.append(f"  calibration     ECE {cal.ece:.3f} (score vs label pass rate, {len(cal.bins)} bins)")
    if run.probes is not None:
        out.append(run.probes.text())
    out.append("  thresholds:")
    for c in run.checks:
        mark = "ok" if c.ok else "FAILED"
        out.append(f"    {c.describe():<44} {c.value_text():>10}  {mark}")
    dis = run.disagreements
    if len(dis):
        shown = dis[:show].tolist()
        out.append(f"  disagreements: {len(dis)}" + (f" (showing {len(shown)}; --show N for more)" if len(dis) > len(shown) else ""))
        for i in shown:
            le = run.examples[i]
            out.append(f"  - {le.id}  [{le.where}]")
            out.append(f"      {run.verdict_text(i)}")
            if le.example.tags:
                out.append(f"      tags: {', '.join(le.example.tags)}")
            if le.example.note:
                out.append(f"      note: {le.example.note}")
            for e in run.row_errors(i):
                out.append(f"      error {e.get('kind')} at {e.get('grader')}: {e.get('message')}")
            tree = run.explains.get(i)
            if tree is not None:
                out.extend("      " + line for line in format_tree_safe(tree).splitlines())
    verdict = "PASSED" if run.passed else "FAILED"
    failed = [c.describe() for c in run.checks if not c.ok]
    why = ""
    if failed:
        why = ": not met: " + "; ".join(failed)
    if not run.probes_ok:
        why += ("; " if why else ": ") + "probes earned reward: " + ", ".join(run.probes.failing_names())
    out.append(f"{verdict}: {run.grader_name}{why}")
    text = "\n".join(out)
    if color:
        text = text.replace("FAILED", "\033[31mFAILED\033[0m").replace("PASSED", "\033[32mPASSED\033[0m")
    return text


def _num(x: Any) -> Any:
    if isinstance(x, float | np.floating):
        return None if not np.isfinite(x) else float(x)
    return x


def json_report(run: TestRun) -> dict[str, Any]:
    rows = []
    for i, le in enumerate(run.examples):
        rows.append({
            "id": le.id, "where": le.where, "expected": le.example.expected, "score": _num(run.scores[i]),
            "agree": bool(run.agree[i]), "tags": le.example.tags,
            "components": {k: _num(v[i]) for k, v in run.components.items()},
            "errors": run.row_errors(i),
            "seconds": _num(run.row_times[i]) if run.row_times is not None else None,
        })
    return {
        "grader": run.grader_name, "source": run.grader_source, "sources": run.sources,
        "pass_threshold": run.pass_threshold, "passed": run.passed,
        "metrics": run.metrics.to_dict(),
        "by_tag": {t: m.to_dict() for t, m in run.by_tag.items()},
        "by_component": [c.to_dict() for c in run.by_component],
        "calibration": [c.to_dict() for c in run.calibrations],
        "checks": [c.to_dict() for c in run.checks],
        "probes": run.probes.to_dict() if run.probes is not None else None,
        "score_seconds": run.score_seconds,
        "rows": rows,
    }
