"""The pytest plugin: grader files with labeled examples become test items."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

import graders
import graders.cli
import graders.pytest_plugin
import graders.testing.probes
import graders.testing.report
import graders.testing.runner

from .labeled_helpers import CAPITAL_ROWS, EXACT, row

pytest_plugins = ["pytester"]

# pytester's in-process runs drop the modules first imported inside them, and numpy's
# C core cannot be imported twice in one process: load the engine (and every grader
# kind and extractor) here, before any inner run.
graders.from_dict({"grader": {"type": "exact", "reference": "{{ item.a }}"}}).score(["x"], [{"a": "x"}])


def _plugin_args() -> list[str]:
    """Load the plugin explicitly unless the installed package registered its entry point."""
    if any(ep.name == "graders" for ep in entry_points(group="pytest11")):
        return []
    return ["-p", "graders.pytest_plugin"]


def _jsonl(rows) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*_plugin_args(), "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-W", "ignore::pytest.PytestAssertRewriteWarning",
                              *args)


def test_examples_beside_a_grader_become_items(pytester):
    pytester.makefile(".yaml", capital=EXACT)
    (pytester.path / "capital.labeled.jsonl").write_text(_jsonl(CAPITAL_ROWS))
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*capital.yaml::capital.labeled.jsonl:1 PASSED*"])


def test_disagreement_fails_with_the_explain_tree(pytester):
    pytester.makefile(".yaml", capital=EXACT)
    rows = CAPITAL_ROWS + [row("Oslo", "Oslo.", "pass", id="oslo-dot", note="punctuation")]
    (pytester.path / "capital.labeled.jsonl").write_text(_jsonl(rows))
    result = _run(pytester)
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines([
        "*expected pass, got 0 (fail at threshold 0.5)*",
        "*note: punctuation*",
        "*explain:*",
        "*capital: 0 [[]scored[]]*",
        "*input: 'Oslo.'*",
        "*FAILED capital.yaml::oslo-dot*",
    ])


def test_thresholds_turn_disagreements_into_xfail(pytester):
    pytester.makefile(".yaml", capital=EXACT + "tests:\n  thresholds: {agreement: 0.8}\n")
    rows = CAPITAL_ROWS + [row("Oslo", "Oslo.", "pass", id="oslo-dot")]
    (pytester.path / "capital.labeled.jsonl").write_text(_jsonl(rows))
    result = _run(pytester, "-rx")
    result.assert_outcomes(passed=6, xfailed=1)  # 5 agreeing examples + the thresholds item
    pytester.makefile(".yaml", capital=EXACT + "tests:\n  thresholds: {agreement: 0.9}\n")
    result = _run(pytester)
    result.assert_outcomes(passed=5, xfailed=1, failed=1)
    result.stdout.fnmatch_lines(["*thresholds not met*", "*agreement >= 0.9: got 0.8333*"])


def test_inline_examples_and_grader_suffix(pytester):
    text = EXACT + "tests:\n  examples:\n    - {item: {answer: x}, sample: x, expected: pass, id: ok-x}\n"
    pytester.makefile(".grader.yaml", math=text)
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*math.grader.yaml::ok-x PASSED*"])


def test_unrelated_yaml_is_not_collected(pytester):
    pytester.makefile(".yaml", workflow="on: push\njobs: {}\n", capital=EXACT)  # no labeled file beside
    pytester.makepyfile(test_nothing="def test_ok():\n    pass\n")
    result = _run(pytester)
    result.assert_outcomes(passed=1)


def test_graders_paths_ini_option(pytester):
    pytester.mkdir("rewards")
    (pytester.path / "rewards" / "capital.yaml").write_text(
        EXACT + "tests:\n  examples:\n    - {item: {answer: x}, sample: x, expected: pass}\n")
    (pytester.path / "rewards" / "other.yaml").write_text("not_a_grader: true\n")
    pytester.makeini("[pytest]\ngraders_paths = rewards\n")
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*rewards/capital.yaml::tests.examples[[]0[]] PASSED*"])


def test_autocollect_can_be_turned_off(pytester):
    pytester.makefile(".yaml", capital=EXACT)
    (pytester.path / "capital.labeled.jsonl").write_text(_jsonl(CAPITAL_ROWS))
    pytester.makeini("[pytest]\ngraders_autocollect = false\n")
    result = _run(pytester)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_broken_grader_is_a_collection_error(pytester):
    pytester.makefile(".grader.yaml", bad="grader: {type: exact}\n")
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*needs a `reference`*"])


def test_grader_without_examples_is_skipped(pytester):
    pytester.makefile(".grader.yaml", lonely=EXACT)
    result = _run(pytester, "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no labeled examples*"])


def test_probes_as_items(pytester):
    naive = 'name: naive\ngrader: {type: string_check, operation: ilike, reference: "{{ item.answer }}"}\n'
    pytester.makefile(".yaml", naive=naive + "tests:\n  probes: {allow: [overlong]}\n")
    (pytester.path / "naive.labeled.jsonl").write_text(_jsonl(CAPITAL_ROWS))
    result = _run(pytester, "--graders-probes", "-v")
    result.stdout.fnmatch_lines(["*naive.yaml::probe:empty PASSED*", "*naive.yaml::probe:hedge FAILED*",
                                 "*naive.yaml::probe:overlong XFAIL*"])
    result.stdout.fnmatch_lines(["*reward hack*", "*a sound grader gives: no reward*"])
