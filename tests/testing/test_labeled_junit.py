"""`graders test --junit`: one test case per example, valid against the JUnit schema."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .labeled_helpers import CAPITAL_ROWS, EXACT, cli, row, write

XSD = Path(__file__).parent / "data" / "junit.xsd"

OSLO = row("Oslo", "Oslo.", "pass", id="oslo-dot")
NASTY = row("Oslo", "bad \x00\x07 chars <b>&amp; ]]>", "pass", id="nasty\x01id")


def _xmlschema():
    try:
        import xmlschema
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("xmlschema is not installed; CI must install the test extra (pip install -e '.[test]')")
        pytest.skip("xmlschema not installed")
    return xmlschema


def _validate(path: Path) -> None:
    _xmlschema().XMLSchema(str(XSD)).validate(str(path))


def test_junit_one_case_per_example_and_valid(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO, NASTY])
    report = tmp_path / "report.xml"
    rc, _, _ = cli("test", g, "--junit", report)
    assert rc == 1
    _validate(report)
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "capital"
    cases = suites[0].findall("testcase")
    examples = [c for c in cases if c.get("classname") == "graders.capital"]
    assert len(examples) == 7
    assert [c.get("name") for c in examples][:5] == [f"g.labeled.jsonl:{i}" for i in range(1, 6)]
    failed = {c.get("name"): c.find("failure") for c in examples if c.find("failure") is not None}
    assert set(failed) == {"oslo-dot", "nasty\ufffdid"}
    f = failed["oslo-dot"]
    assert f.get("message") == "expected pass, got 0 (fail at threshold 0.5)"
    assert "capital: 0 [scored]" in f.text  # the explain tree
    # the threshold case
    thr = [c for c in cases if c.get("classname") == "graders.capital.thresholds"]
    assert len(thr) == 1 and thr[0].find("failure") is not None
    assert suites[0].get("tests") == "8" and suites[0].get("failures") == "3"
    assert root.get("tests") == "8" and root.get("failures") == "3"
    props = {p.get("name"): p.get("value") for p in suites[0].find("properties")}
    assert props["pass_threshold"] == "0.5" and props["agreement"] == "0.714286"


def test_junit_disagreements_are_skipped_when_thresholds_allow_them(tmp_path):
    g = write(tmp_path, EXACT + "tests:\n  thresholds: {agreement: 0.8}\n", CAPITAL_ROWS + [OSLO])
    report = tmp_path / "r.xml"
    rc, _, _ = cli("test", g, "--junit", report)
    assert rc == 0
    _validate(report)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("failures") == "0" and suite.get("skipped") == "1"
    oslo = [c for c in suite.findall("testcase") if c.get("name") == "oslo-dot"][0]
    assert "allowed by thresholds" in oslo.find("skipped").get("message")


def test_junit_several_graders_and_probes(tmp_path):
    a = write(tmp_path, EXACT, CAPITAL_ROWS, name="a")
    b = write(tmp_path, EXACT.replace("capital", "capital-b"), CAPITAL_ROWS, name="b")
    report = tmp_path / "r.xml"
    rc, _, _ = cli("test", a, b, "--junit", report, "--probes")
    assert rc == 0
    _validate(report)
    suites = ET.parse(report).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["capital", "capital-b"]
    probes = [c for c in suites[0].findall("testcase") if c.get("classname") == "graders.capital.probes"]
    assert {c.get("name") for c in probes} >= {"empty", "hedge", "multiple_boxed", "judge_injection"}


def test_schema_rejects_a_malformed_report(tmp_path):
    xmlschema = _xmlschema()
    bad = tmp_path / "bad.xml"
    bad.write_text('<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(str(XSD)).validate(str(bad))
