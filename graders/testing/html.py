"""A self-contained HTML report: inline CSS, inline SVG plots, a few lines of JavaScript.

No network, no external assets: the page opens from a CI artifact as is. Every
string from examples or completions is HTML-escaped (completions are hostile
text). Plots: confusion matrix, score histogram by label, calibration
(reliability) of the score and of each LLM-judge component, scores against
numeric labels, agreement by tag, and the slowest rows. Then the tables:
thresholds, per tag, per component, probes, and the disagreements with their
explain trees.

A small script records on `<html data-check=...>` how many plots were drawn and
any script error, which the headless-browser test reads.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from graders.present import format_tree_safe
from graders.testing.metrics import Calibration
from graders.testing.runner import TestRun

PASS_C = "#2e7d32"
FAIL_C = "#c62828"
MAIN_C = "#1565c0"
GRID_C = "#e0e0e0"
MAX_TABLE_ROWS = 500


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _f(x: float | None, d: int = 3) -> str:
    return "n/a" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.{d}f}"


# -- SVG helpers ------------------------------------------------------------------------
class _Axes:
    """Maps data to pixels inside a plot area with margins."""

    def __init__(self, w: int, h: int, x0: float, x1: float, y0: float, y1: float,
                 ml: int = 48, mr: int = 12, mt: int = 12, mb: int = 40) -> None:
        self.w, self.h = w, h
        self.x0, self.x1 = x0, x1 if x1 > x0 else x0 + 1
        self.y0, self.y1 = y0, y1 if y1 > y0 else y0 + 1
        self.ml, self.mr, self.mt, self.mb = ml, mr, mt, mb

    def x(self, v: float) -> float:
        return self.ml + (v - self.x0) / (self.x1 - self.x0) * (self.w - self.ml - self.mr)

    def y(self, v: float) -> float:
        return self.h - self.mb - (v - self.y0) / (self.y1 - self.y0) * (self.h - self.mt - self.mb)

    def frame(self, xlabel: str, ylabel: str, xticks: Sequence[float], yticks: Sequence[float],
              xfmt: str = "{:g}", yfmt: str = "{:g}") -> list[str]:
        out = []
        for t in yticks:
            y = self.y(t)
            out.append(f'<line x1="{self.ml}" x2="{self.w - self.mr}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID_C}"/>')
            out.append(f'<text x="{self.ml - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{esc(yfmt.format(t))}</text>')
        for t in xticks:
            x = self.x(t)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.h - self.mb}" y2="{self.h - self.mb + 4}" stroke="#999"/>')
            out.append(f'<text x="{x:.1f}" y="{self.h - self.mb + 16}" text-anchor="middle" class="tick">{esc(xfmt.format(t))}</text>')
        out.append(f'<line x1="{self.ml}" x2="{self.w - self.mr}" y1="{self.h - self.mb}" y2="{self.h - self.mb}" stroke="#666"/>')
        out.append(f'<line x1="{self.ml}" x2="{self.ml}" y1="{self.mt}" y2="{self.h - self.mb}" stroke="#666"/>')
        out.append(f'<text x="{(self.ml + self.w - self.mr) / 2:.0f}" y="{self.h - 6}" text-anchor="middle" class="axis">{esc(xlabel)}</text>')
        out.append(f'<text transform="translate(12 {(self.mt + self.h - self.mb) / 2:.0f}) rotate(-90)" text-anchor="middle" class="axis">{esc(ylabel)}</text>')
        return out


def _svg(w: int, h: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'role="img" aria-label="{esc(label)}">' + "".join(body) + "</svg>")


def _figure(title: str, svg: str, caption: str = "", kind: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="plot" data-plot="{esc(kind)}"><h3>{esc(title)}</h3>{svg}{cap}</figure>'


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    return [lo + (hi - lo) * k / n for k in range(n + 1)]


def _nice_ticks(v: float, n: int = 4, integer: bool = False) -> list[float]:
    """Ticks 0, step, ..., top with a round step (1, 2, 2.5 or 5 x 10^k) and top >= v."""
    if not v > 0 or not math.isfinite(v):
        return [0.0, 1.0]
    raw = v / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    k = math.ceil(v / step - 1e-9)
    return [step * i for i in range(k + 1)]


# -- plots -----------------------------------------------------------------------------
def confusion_plot(run: TestRun) -> str:
    b = run.metrics.binary
    cells = [("pass", "pass", b.tp, PASS_C), ("pass", "fail", b.fn, FAIL_C),
             ("fail", "pass", b.fp, FAIL_C), ("fail", "fail", b.tn, PASS_C)]
    n = max(b.n, 1)
    w, h, cw, ch, ox, oy = 340, 280, 120, 90, 110, 52
    body = [f'<text x="{ox + cw}" y="22" text-anchor="middle" class="axis">grader (score &gt;= {run.pass_threshold:g})</text>',
            f'<text transform="translate(22 {oy + ch}) rotate(-90)" text-anchor="middle" class="axis">label</text>']
    for k, name in enumerate(("pass", "fail")):
        body.append(f'<text x="{ox + cw * k + cw / 2}" y="{oy - 6}" text-anchor="middle" class="tick">{name}</text>')
        body.append(f'<text x="{ox - 8}" y="{oy + ch * k + ch / 2 + 4}" text-anchor="end" class="tick">{name}</text>')
    for label, pred, count, color in cells:
        r = 0 if label == "pass" else 1
        c = 0 if pred == "pass" else 1
        alpha = 0.12 + 0.78 * count / n
        x, y = ox + c * cw, oy + r * ch
        body.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{color}" fill-opacity="{alpha:.2f}">'
                    f'<title>label {label}, grader {pred}: {count}</title></rect>')
        tc = "#fff" if alpha > 0.55 else "#222"
        body.append(f'<text x="{x + cw / 2}" y="{y + ch / 2}" text-anchor="middle" class="big" fill="{tc}">{count}</text>')
        body.append(f'<text x="{x + cw / 2}" y="{y + ch / 2 + 18}" text-anchor="middle" class="tick" fill="{tc}">{100 * count / n:.1f}%</text>')
    cap = (f"precision {_f(b.precision)} · recall {_f(b.recall)} · F1 {_f(b.f1)} · numeric labels count as pass "
           f"when &gt;= the threshold")
    return _figure("Confusion matrix", _svg(w, h, body, "confusion matrix"), cap, "confusion")


def threshold_edges(lo: float, hi: float, threshold: float, bins: int) -> np.ndarray:
    """Bin edges of width (hi - lo) / bins with the threshold on an edge, covering [lo, hi].

    Bins are [a, b), so a score equal to the threshold (or to hi, e.g. 1.0) lands
    in the bin that starts there: passing scores sit right of the threshold line.
    """
    width = (hi - lo) / bins
    k0 = math.floor((lo - threshold) / width + 1e-9)
    k1 = math.floor((hi - threshold) / width + 1e-9) + 1
    return threshold + width * np.arange(k0, k1 + 1)


def histogram_plot(run: TestRun, bins: int = 20) -> str:
    s = run.scores
    ok = np.isfinite(s)
    lo = min(0.0, float(s[ok].min())) if ok.any() else 0.0
    hi = max(1.0, float(s[ok].max())) if ok.any() else 1.0
    edges = threshold_edges(lo, hi, run.pass_threshold, bins)
    lo, hi = float(edges[0]), float(edges[-1])
    bins = len(edges) - 1
    lp = run.labels.label_pass
    hp, _ = np.histogram(s[ok & lp], bins=edges)
    hf, _ = np.histogram(s[ok & ~lp], bins=edges)
    yt = _nice_ticks(float(max(hp.max(initial=0), hf.max(initial=0), 1)), integer=True)
    w, h = 460, 270
    ax = _Axes(w, h, lo, hi, 0, yt[-1], ml=58, mt=30)
    body = ax.frame("score", "examples", _ticks(lo, hi), yt, yfmt="{:.0f}")
    bw = (ax.x(edges[1]) - ax.x(edges[0])) / 2
    for k in range(bins):
        x = ax.x(edges[k])
        for j, (counts, color, name) in enumerate(((hp, PASS_C, "labeled pass"), (hf, FAIL_C, "labeled fail"))):
            c = int(counts[k])
            if c:
                y = ax.y(c)
                body.append(f'<rect x="{x + j * bw:.1f}" y="{y:.1f}" width="{max(bw - 1, 1):.1f}" height="{ax.y(0) - y:.1f}" '
                            f'fill="{color}" fill-opacity="0.8"><title>{name}, score in [{edges[k]:.3g}, {edges[k + 1]:.3g}): {c}</title></rect>')
    tx = ax.x(run.pass_threshold)
    body.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{ax.mt}" y2="{ax.y(0)}" stroke="#333" stroke-dasharray="4 3"/>')
    # Keep the label inside the figure: anchored at its end near the right edge, at its start near the left.
    anchor = "end" if tx > w - 70 else "start" if tx < ax.ml + 40 else "middle"
    body.append(f'<text x="{tx:.1f}" y="{ax.mt - 4}" text-anchor="{anchor}" class="tick">threshold {run.pass_threshold:g}</text>')
    body += _legend(ax.ml, 12, [(PASS_C, f"labeled pass ({int(lp.sum())})")])
    body += _legend(ax.ml + 150, 12, [(FAIL_C, f"labeled fail ({int((~lp).sum())})")])
    return _figure("Score histogram by label", _svg(w, h, body, "score histogram by label"),
                   "A sound grader puts green right of the dashed line and red left of it.", "histogram")


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> list[str]:
    out = []
    for k, (color, text) in enumerate(entries):
        yy = y + 16 * k
        out.append(f'<rect x="{x}" y="{yy - 9}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{x + 14}" y="{yy}" class="tick">{esc(text)}</text>')
    return out


def calibration_plot(cal: Calibration) -> str:
    w, h = 340, 300
    ax = _Axes(w, h, 0, 1, 0, 1)
    body = ax.frame(f"{cal.name} (scaled to [0, 1])", "observed pass rate", _ticks(0, 1), _ticks(0, 1))
    body.append(f'<line x1="{ax.x(0)}" y1="{ax.y(0)}" x2="{ax.x(1)}" y2="{ax.y(1)}" stroke="#999" stroke-dasharray="4 3"/>')
    pts = [(b.mean_score, b.mean_target, b.count, b.lo, b.hi) for b in cal.bins if b.count]
    top = max((p[2] for p in pts), default=1)
    if len(pts) > 1:
        poly = " ".join(f"{ax.x(p[0]):.1f},{ax.y(p[1]):.1f}" for p in pts)
        body.append(f'<polyline points="{poly}" fill="none" stroke="{MAIN_C}" stroke-width="1.5"/>')
    for ms, mt, c, lo, hi in pts:
        r = 3 + 7 * math.sqrt(c / top)
        body.append(f'<circle cx="{ax.x(ms):.1f}" cy="{ax.y(mt):.1f}" r="{r:.1f}" fill="{MAIN_C}" fill-opacity="0.7">'
                    f'<title>{cal.name} in [{lo:.3g}, {hi:.3g}): {c} rows, mean {ms:.3f}, pass rate {mt:.3f}</title></circle>')
    ece = "n/a" if cal.ece is None else f"{cal.ece:.3f}"
    return _figure(f"Calibration: {cal.name}", _svg(w, h, body, f"calibration of {cal.name}"),
                   f"Points on the dashed diagonal are calibrated (ECE {ece}; dot size = rows).", "calibration")


def scatter_plot(run: TestRun) -> str | None:
    num = ~run.labels.is_binary & np.isfinite(run.scores)
    if num.sum() < 2:
        return None
    x = run.labels.expected[num]
    y = run.scores[num]
    lo = min(0.0, float(x.min()), float(y.min()))
    hi = max(1.0, float(x.max()), float(y.max()))
    w, h = 340, 300
    ax = _Axes(w, h, lo, hi, lo, hi)
    body = ax.frame("label (expected)", "score", _ticks(lo, hi), _ticks(lo, hi))
    body.append(f'<line x1="{ax.x(lo)}" y1="{ax.y(lo)}" x2="{ax.x(hi)}" y2="{ax.y(hi)}" stroke="#999" stroke-dasharray="4 3"/>')
    idx = np.flatnonzero(num)
    if len(idx) > 2000:  # keep the page light
        idx = idx[np.linspace(0, len(idx) - 1, 2000).astype(int)]
    for i in idx.tolist():
        color = PASS_C if run.agree[i] else FAIL_C
        body.append(f'<circle cx="{ax.x(run.labels.expected[i]):.1f}" cy="{ax.y(run.scores[i]):.1f}" r="3" fill="{color}" '
                    f'fill-opacity="0.6"><title>{esc(run.examples[i].id)}: label {run.labels.expected[i]:g}, score {run.scores[i]:.4g}</title></circle>')
    m = run.metrics
    return _figure("Scores against numeric labels", _svg(w, h, body, "scores against numeric labels"),
                   f"MAE {_f(m.mae)} · Spearman {_f(m.spearman)} · red = outside tolerance", "scatter")


def hbar_plot(title: str, rows: list[tuple[str, float, str]], xlabel: str, kind: str, xmax: float | None = None,
              fmt: str = "{:.3f}", caption: str = "") -> str:
    w = 520
    bar = 18
    ml = 170
    h = 30 + bar * len(rows) + 40
    xt = _ticks(0, xmax, 4) if xmax is not None else _nice_ticks(max((r[1] for r in rows), default=1.0))
    ax = _Axes(w, h, 0, xt[-1], 0, 1, ml=ml, mr=60, mt=10, mb=36)
    body = ax.frame(xlabel, "", xt, [], xfmt="{:.3g}")
    for k, (label, value, color) in enumerate(rows):
        y = 14 + k * bar
        short = label if len(label) <= 26 else label[:24] + "…"
        body.append(f'<text x="{ml - 6}" y="{y + 12}" text-anchor="end" class="tick">{esc(short)}</text>')
        bw = max(ax.x(value) - ax.x(0), 1)
        body.append(f'<rect x="{ml}" y="{y + 2}" width="{bw:.1f}" height="{bar - 4}" fill="{color}">'
                    f'<title>{esc(label)}: {esc(fmt.format(value))}</title></rect>')
        body.append(f'<text x="{ml + bw + 4:.1f}" y="{y + 13}" class="tick">{esc(fmt.format(value))}</text>')
    return _figure(title, _svg(w, h, body, title), caption, kind)


def tag_plot(run: TestRun) -> str | None:
    if not run.by_tag:
        return None
    rows = [(f"{t} ({m.n})", m.agreement or 0.0, PASS_C if (m.agreement or 0) >= 0.999 else MAIN_C)
            for t, m in list(run.by_tag.items())[:30]]
    return hbar_plot("Agreement by tag", rows, "agreement", "tags", xmax=1.0)


def slow_plot(run: TestRun, top: int = 15) -> str | None:
    t = run.row_times
    if t is None or not np.isfinite(t).any():
        return None
    idx = np.flatnonzero(np.isfinite(t))
    idx = idx[np.argsort(-t[idx], kind="stable")][:top]
    rows = [(run.examples[i].id, float(t[i] * 1000), FAIL_C if not run.agree[i] else MAIN_C) for i in idx.tolist()]
    cap = "Each row scored alone, without the cross-batch cache."
    if run.timing_note:
        cap += " " + esc(run.timing_note)
    return hbar_plot("Slowest rows", rows, "milliseconds", "slowest", fmt="{:.2f} ms", caption=cap)


# -- tables ----------------------------------------------------------------------------
def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="sortable {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _badge(ok: bool, yes: str = "ok", no: str = "FAILED") -> str:
    return f'<span class="badge {"ok" if ok else "bad"}">{yes if ok else no}</span>'


def _run_section(run: TestRun, k: int) -> str:
    m = run.metrics
    parts = [f'<section class="run" id="run{k}"><h2>{esc(run.grader_name)} {_badge(run.passed, "PASSED", "FAILED")}</h2>']
    parts.append(f'<p class="meta">{esc(run.grader_source or "")} · {run.n} examples from {esc(", ".join(run.sources))} · '
                 f'scored in {run.score_seconds:.2f}s · pass = score &gt;= {run.pass_threshold:g}</p>')
    b = m.binary
    cards = [("agreement", f"{_f(m.agreement)}", f"{m.n_agree}/{m.n}"), ("precision", _f(b.precision), ""),
             ("recall", _f(b.recall), ""), ("F1", _f(b.f1), ""),
             ("MAE", _f(m.mae), f"{m.n_numeric} numeric"), ("Spearman", _f(m.spearman), ""),
             ("errors", str(m.n_error), "rows")]
    parts.append('<div class="cards">' + "".join(
        f'<div class="card"><div class="v">{esc(v)}</div><div class="k">{esc(name)}</div><div class="s">{esc(sub)}</div></div>'
        for name, v, sub in cards) + "</div>")
    parts.append("<h3>Thresholds</h3>" + _table(
        ["check", "value", "result"], [[esc(c.describe()), esc(c.value_text()), _badge(c.ok)] for c in run.checks]))
    plots = [confusion_plot(run), histogram_plot(run)]
    plots += [calibration_plot(c) for c in run.calibrations]
    plots += [p for p in (scatter_plot(run), tag_plot(run), slow_plot(run)) if p]
    parts.append('<div class="plots">' + "".join(plots) + "</div>")
    if run.by_tag:
        parts.append("<h3>By tag</h3>" + _table(
            ["tag", "n", "agreement", "precision", "recall", "F1", "MAE", "Spearman"],
            [[esc(t), str(tm.n), _f(tm.agreement), _f(tm.binary.precision), _f(tm.binary.recall), _f(tm.binary.f1),
              _f(tm.mae), _f(tm.spearman)] for t, tm in run.by_tag.items()]))
    if run.by_component:
        parts.append("<h3>By component</h3><p class='meta'>Mean score on rows labeled pass, labeled fail, and on "
                     "disagreements; AUC of the component against the pass labels.</p>" + _table(
            ["component", "kind", "ran", "mean", "pass", "fail", "disagree", "AUC", "Spearman"],
            [[esc(c.path), esc(c.kind), str(c.n_ran), _f(c.mean), _f(c.mean_pass), _f(c.mean_fail), _f(c.mean_disagree),
              _f(c.auc), _f(c.spearman)] for c in run.by_component]))
    if run.probes is not None:
        rows = []
        for p in run.probes.results:
            verdict = ('<span class="badge bad">earns reward</span>' if p.earns_reward and not p.allowed
                       else '<span class="badge warn">earns reward (allowed)</span>' if p.earns_reward
                       else '<span class="badge ok">resisted</span>' if p.status == "resisted"
                       else '<span class="badge">skipped</span>')
            rows.append([esc(p.name), esc(p.title), esc(p.sound), verdict, _f(p.best_score),
                         f"<code>{esc(p.text or p.reason or '')}</code>"])
        note = f"<p class='meta'>{esc(run.probes.note)}</p>" if run.probes.note else ""
        ctl = "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in run.probes.controls.items())
        parts.append(f"<h3>Hack probes</h3>{note}<ul class='meta'>{ctl}</ul>" + _table(
            ["probe", "hack", "a sound grader gives", "result", "best score", "best-scoring completion"], rows))
    dis = run.disagreements
    parts.append(f"<h3>Disagreements ({len(dis)})</h3>")
    if len(dis):
        parts.append('<input type="search" class="filter" placeholder="filter rows…" aria-label="filter disagreements">')
        rows = []
        for i in dis[:MAX_TABLE_ROWS].tolist():
            le = run.examples[i]
            tree = run.explains.get(i)
            errs = "; ".join(f"{e.get('kind')}: {e.get('message')}" for e in run.row_errors(i))
            sample = le.example.sample if isinstance(le.example.sample, str) else le.example.sample.get("output_text", le.example.sample)
            sample_s = str(sample)
            if len(sample_s) > 400:
                sample_s = sample_s[:300] + " … " + sample_s[-80:]
            detail = f"<details><summary>explain</summary><pre>{esc(format_tree_safe(tree))}</pre></details>" if tree else ""
            score = run.scores[i]
            rows.append([esc(le.id), esc(run.expected_text(i)), "NaN" if not np.isfinite(score) else f"{score:.4g}",
                         esc(", ".join(le.example.tags)), esc(le.example.note or ""),
                         f"<code>{esc(sample_s)}</code>{(' <span class=err>' + esc(errs) + '</span>') if errs else ''}{detail}"])
        parts.append(_table(["id", "expected", "score", "tags", "note", "sample / explain"], rows, "disagreements"))
        if len(dis) > MAX_TABLE_ROWS:
            parts.append(f"<p class='meta'>{len(dis) - MAX_TABLE_ROWS} more not shown (see the JUnit or JSON report).</p>")
    else:
        parts.append("<p>Every example agrees with its label.</p>")
    parts.append("</section>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:#666;margin:2px 0}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 14px;min-width:90px}
.card .v{font-size:20px;font-weight:600}.card .k{color:#555}.card .s{color:#999;font-size:12px}
.plots{display:flex;flex-wrap:wrap;gap:14px}figure.plot{background:#fff;border:1px solid #ddd;border-radius:8px;margin:0;padding:8px 10px}
figure.plot h3{margin:0 0 4px}figcaption{color:#666;font-size:12px;max-width:460px}
svg .tick{font-size:11px;fill:#444}svg .axis{font-size:12px;fill:#222}svg .big{font-size:22px;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:6px 0 14px;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0;cursor:pointer;user-select:none}
td code{white-space:pre-wrap;word-break:break-word;font-size:12px}pre{font-size:12px;max-width:900px;overflow:auto;background:#f6f6f6;padding:6px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eee}
.badge.ok{background:#e3f3e4;color:#1b5e20}.badge.bad{background:#fde0e0;color:#b71c1c}.badge.warn{background:#fff3cd;color:#7a5a00}
.err{color:#b71c1c}.filter{margin:4px 0 6px;padding:4px 8px;width:260px}
"""

# Installed first in <head>: records script errors, then (on load) what was drawn.
_CHECK_JS = """
(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message||e));});
function check(){var svgs=document.querySelectorAll('figure.plot svg'),sized=0,drawn=0;
for(var i=0;i<svgs.length;i++){var r=svgs[i].getBoundingClientRect();if(r.width>=50&&r.height>=50)sized++;
var shapes=svgs[i].querySelectorAll('rect,circle,line,polyline,path'),vis=0;
for(var j=0;j<shapes.length;j++){var b=shapes[j].getBoundingClientRect();if(b.width>0||b.height>0)vis++;}
if(vis>=3)drawn++;}
document.documentElement.setAttribute('data-check',JSON.stringify({plots:svgs.length,sized:sized,drawn:drawn,
tables:document.querySelectorAll('table').length,errors:errs}));}
window.addEventListener('load',function(){setTimeout(check,0);});})();
"""

_UI_JS = """
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){
    var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';
    rows.sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);
      if(!isNaN(nx)&&!isNaN(ny))return (nx-ny)*dir;return x.localeCompare(y)*dir;});
    rows.forEach(function(r){body.appendChild(r);});});});});
document.querySelectorAll('input.filter').forEach(function(inp){var t=inp.nextElementSibling;
  inp.addEventListener('input',function(){var q=inp.value.toLowerCase();
    Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});});
"""


def html_report(runs: Sequence[TestRun], title: str = "graders test report") -> str:
    ok = all(r.passed for r in runs)
    nav = ""
    if len(runs) > 1:
        nav = "<ul>" + "".join(f'<li><a href="#run{k}">{esc(r.grader_name)}</a> {_badge(r.passed, "PASSED", "FAILED")}</li>'
                               for k, r in enumerate(runs)) + "</ul>"
    sections = "".join(_run_section(r, k) for k, r in enumerate(runs))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><script>{_CHECK_JS}</script><style>{_CSS}</style></head><body>"
        f"<h1>{esc(title)} {_badge(ok, 'PASSED', 'FAILED')}</h1>{nav}{sections}"
        f"<script>{_UI_JS}</script></body></html>\n"
    )


def write_html(path: str, runs: Sequence[TestRun]) -> None:
    with open(path, "w", encoding="utf-8", errors="backslashreplace") as fh:  # lone surrogates in completions
        fh.write(html_report(runs))
