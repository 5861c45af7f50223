"""JUnit XML for CI systems: one test case per labeled example.

The file follows the common JUnit schema that Jenkins, GitLab, GitHub test
reporters and Azure read (the `xunit2` family pytest writes): `<testsuites>`
holding one `<testsuite>` per grader. In each suite:

- one `<testcase>` per example (classname `graders.<grader>`, name = the example id).
  A disagreement is a `<failure>` whose text is the explain tree; when thresholds
  are set (so some disagreement is allowed), a disagreement is `<skipped>`
  (the way pytest reports an xfail) and the threshold cases decide;
- one `<testcase>` per threshold (classname `graders.<grader>.thresholds`);
- with `--probes`, one `<testcase>` per probe (classname `graders.<grader>.probes`):
  a probe that earns reward fails only in strict mode, else it is reported in
  `<system-out>`.
"""

from __future__ import annotations

import datetime as _dt
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import numpy as np

from graders.present import format_tree_safe
from graders.testing.runner import TestRun

# XML 1.0 forbids most control characters; completions contain anything.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _BAD_XML.sub("\ufffd", text)


def _t(seconds: float) -> str:
    return f"{max(0.0, float(seconds)):.6f}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _suite(root: ET.Element, run: TestRun) -> dict[str, int]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suite = _sub(root, "testsuite", name=run.grader_name,
                 timestamp=_dt.datetime.now().replace(microsecond=0).isoformat(),
                 hostname=socket.gethostname() or "localhost")
    props = _sub(suite, "properties")
    m = run.metrics
    for name, value in [("grader_file", run.grader_source or ""), ("pass_threshold", f"{run.pass_threshold:g}"),
                        ("agreement", m.agreement), ("precision", m.binary.precision), ("recall", m.binary.recall),
                        ("f1", m.binary.f1), ("mae", m.mae), ("spearman", m.spearman),
                        ("examples_from", "; ".join(run.sources))]:
        if isinstance(value, float):
            value = f"{value:.6g}"
        _sub(props, "property", name=name, value="n/a" if value is None else str(value))
    cls = f"graders.{run.grader_name}"
    per_row = run.score_seconds / max(run.n, 1)
    allowed = run.thresholds_set
    for i, le in enumerate(run.examples):
        rt = run.row_times[i] if run.row_times is not None else np.nan
        case = _sub(suite, "testcase", name=le.id, classname=cls, time=_t(rt if np.isfinite(rt) else per_row))
        counts["tests"] += 1
        details = [f"example: {le.where}", run.verdict_text(i)]
        if le.example.tags:
            details.append("tags: " + ", ".join(le.example.tags))
        if le.example.note:
            details.append("note: " + le.example.note)
        for e in run.row_errors(i):
            details.append(f"error {e.get('kind')} at {e.get('grader')}: {e.get('message')}")
        if not run.agree[i]:
            tree = run.explains.get(i)
            body = "\n".join(details) + ("\n\n" + format_tree_safe(tree) if tree is not None else "")
            if allowed:
                _sub(case, "skipped", message="disagrees with its label (allowed by thresholds): " + run.verdict_text(i))
                _sub(case, "system-out", body)
                counts["skipped"] += 1
            else:
                _sub(case, "failure", body, message=run.verdict_text(i), type="disagreement")
                counts["failures"] += 1
        else:
            _sub(case, "system-out", "\n".join(details))
    for c in run.checks:
        case = _sub(suite, "testcase", name=c.describe(), classname=cls + ".thresholds", time=_t(0))
        counts["tests"] += 1
        if not c.ok:
            _sub(case, "failure", f"{c.describe()}: got {c.value_text()}", message=f"not met: got {c.value_text()}",
                 type="threshold")
            counts["failures"] += 1
    if run.probes is not None:
        for p in run.probes.results:
            case = _sub(suite, "testcase", name=p.name, classname=cls + ".probes", time=_t(0))
            counts["tests"] += 1
            text = p.detail_text()
            if p.status == "skipped":
                _sub(case, "skipped", message=p.summary())
                counts["skipped"] += 1
            elif p.fails_run:
                _sub(case, "failure", text, message=p.summary(), type="reward-hack")
                counts["failures"] += 1
            else:
                _sub(case, "system-out", text)
    suite.set("tests", str(counts["tests"]))
    suite.set("failures", str(counts["failures"]))
    suite.set("errors", str(counts["errors"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", _t(run.score_seconds))
    return counts


def junit_xml(runs: Sequence[TestRun]) -> bytes:
    root = ET.Element("testsuites", {"name": "graders test"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for run in runs:
        for k, v in _suite(root, run).items():
            totals[k] += v
    for k in ("tests", "failures", "errors"):
        root.set(k, str(totals[k]))
    root.set("time", _t(sum(r.score_seconds for r in runs)))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(path: str, runs: Sequence[TestRun]) -> None:
    with open(path, "wb") as fh:
        fh.write(junit_xml(runs))
