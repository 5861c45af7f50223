"""`graders test`: summary, disagreements, thresholds and exit codes."""

from __future__ import annotations

import json

import pytest

from .labeled_helpers import CAPITAL_ROWS, EXACT, TOY, cli, row, write

OSLO = row("Oslo", "Oslo.", "pass", tags=["europe"], note="punctuation should not matter", id="oslo-dot")


def test_all_examples_agree_exits_0(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS)
    rc, out, err = cli("test", g)
    assert rc == 0, out + err
    assert "agreement       1.0000  (5/5)" in out
    assert "every example agrees (no thresholds set)" in out
    assert "PASSED: capital" in out


def test_one_disagreement_without_thresholds_fails_like_a_unit_test(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO])
    rc, out, _ = cli("test", g)
    assert rc == 1
    assert "disagreements: 1" in out
    assert "oslo-dot" in out and "expected pass, got 0 (fail at threshold 0.5)" in out
    assert "note: punctuation should not matter" in out
    # the explain tree of the disagreement: root key, input and reference
    assert "capital: 0 [scored]" in out and "input: 'Oslo.'" in out and "reference: 'Oslo'" in out
    assert "FAILED: capital: not met: every example agrees" in out


def test_summary_metrics_per_tag_and_component(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO])
    rc, out, _ = cli("test", g, "--min-agreement", "0.8")
    assert rc == 0
    # labels pass: Paris, Rome, Tokyo(1.0), Oslo; grader misses Oslo: TP 3 FN 1 FP 0 TN 2
    assert "precision 1.000  recall 0.750  F1 0.857" in out
    assert "(TP 3  FP 0  FN 1  TN 2; pass = score >= 0.5)" in out
    assert "numeric labels  MAE 0.0000  Spearman 1.000  (2 rows)" in out
    assert "europe  4  0.750" in out and "asia    2  1.000" in out
    assert "agreement >= 0.8" in out and "0.8333  ok" in out


@pytest.mark.parametrize(("flags", "rc"), [
    (["--min-agreement", "0.8"], 0),
    (["--min-agreement", "0.9"], 1),
    (["--min-precision", "1"], 0),
    (["--min-recall", "0.8"], 1),
    (["--min-f1", "0.85"], 0),
    (["--min-f1", "0.9"], 1),
    (["--max-mae", "0"], 0),
    (["--min-spearman", "0.99"], 0),
    (["--min-agreement", "0.8", "--min-recall", "0.8"], 1),
])
def test_command_line_thresholds_exit_codes(tmp_path, flags, rc):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO])
    got, out, err = cli("test", g, *flags)
    assert got == rc, out + err


def test_thresholds_in_the_file_and_command_line_override(tmp_path):
    text = EXACT + "tests:\n  thresholds: {agreement: 0.8, f1: 0.8}\n"
    g = write(tmp_path, text, CAPITAL_ROWS + [OSLO])
    rc, out, _ = cli("test", g)
    assert rc == 0, out
    assert "disagreements: 1" in out  # still listed
    rc, out, _ = cli("test", g, "--min-agreement", "0.95")
    assert rc == 1
    assert "agreement >= 0.95" in out and "FAILED" in out


def test_undefined_metric_does_not_meet_its_threshold(tmp_path):
    # Spearman on numeric labels, but every numeric label is the same: undefined.
    rows = [row("a", "a", 1.0), row("b", "b", 1.0)]
    g = write(tmp_path, EXACT, rows)
    rc, out, _ = cli("test", g, "--min-spearman", "0.5")
    assert rc == 1
    assert "undefined" in out


def test_tag_thresholds(tmp_path):
    text = EXACT + "tests:\n  thresholds: {agreement: 0.5}\n  tag_thresholds:\n    europe: {agreement: 1.0}\n    asia: {agreement: 1.0}\n"
    g = write(tmp_path, text, CAPITAL_ROWS + [OSLO])
    rc, out, _ = cli("test", g)
    assert rc == 1
    assert "agreement [tag:europe] >= 1" in out and "agreement [tag:asia] >= 1" in out
    assert "not met: agreement [tag:europe] >= 1" in out


def test_pass_threshold_and_tolerance(tmp_path):
    toy_rows = [
        row("4", "<think>x</think><answer>4</answer>", "pass"),
        row("4", "<answer>4</answer>", 0.0),
        row("4", "<think>x</think><answer>5</answer>", 0.15, tolerance=0.05),
    ]
    g = write(tmp_path, TOY, toy_rows)
    rc, out, _ = cli("test", g)
    assert rc == 0, out  # 0.1 is within 0.05 of 0.15
    rc, out, _ = cli("test", g, "--pass-threshold", "1.01")  # nothing passes now
    assert rc == 1 and "fail at threshold 1.01" in out
    text = TOY + "tests:\n  tolerance: 0.2\n"
    g2 = write(tmp_path, text, [row("4", "<think>x</think><answer>5</answer>", 0.25)], name="tol")
    assert cli("test", g2)[0] == 0
    assert cli("test", g2, "--tolerance", "0.1")[0] == 1


def test_inline_examples_only(tmp_path):
    text = EXACT + "tests:\n  examples:\n    - {item: {answer: x}, sample: x, expected: pass}\n    - {item: {answer: x}, sample: y, expected: fail}\n"
    g = write(tmp_path, text)
    rc, out, _ = cli("test", g)
    assert rc == 0, out
    assert "2 examples" in out


def test_examples_flag(tmp_path):
    g = write(tmp_path, EXACT)
    lab = tmp_path / "other.jsonl"
    lab.write_text("".join(json.dumps(r) + "\n" for r in CAPITAL_ROWS))
    rc, out, _ = cli("test", g, "--examples", lab)
    assert rc == 0 and "5 examples" in out


@pytest.mark.parametrize("case", ["bad_labels", "no_examples", "missing_grader", "bad_grader", "examples_two_graders",
                                  "bad_flag_value"])
def test_usage_and_config_errors_exit_2(tmp_path, case):
    g = write(tmp_path, EXACT, CAPITAL_ROWS)
    args: list = ["test", g]
    if case == "bad_labels":
        (tmp_path / "g.labeled.jsonl").write_text('{"sample": "x", "expected": "maybe"}\n')
    elif case == "no_examples":
        args = ["test", write(tmp_path, EXACT, name="lonely")]
    elif case == "missing_grader":
        args = ["test", tmp_path / "nope.yaml"]
    elif case == "bad_grader":
        args = ["test", write(tmp_path, "grader: {type: exact}\n", CAPITAL_ROWS, name="bad")]
    elif case == "examples_two_graders":
        args = ["test", g, g, "--examples", tmp_path / "g.labeled.jsonl"]
    elif case == "bad_flag_value":
        args = ["test", g, "--min-agreement", "1.5"]
    rc, out, err = cli(*args)
    assert rc == 2, out + err
    assert err.strip()
    if case == "bad_labels":
        assert "g.labeled.jsonl:1" in err
    if case == "no_examples":
        assert "no labeled examples" in err and "lonely.labeled.jsonl" in err


def test_several_graders_one_failing(tmp_path):
    good = write(tmp_path, EXACT, CAPITAL_ROWS, name="good")
    bad = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO], name="bad")
    rc, out, _ = cli("test", good, bad)
    assert rc == 1
    assert "1 passed, 1 failed" in out
    rc, out, _ = cli("test", good, bad, "--quiet")
    assert out.splitlines() == [
        f"PASSED: capital ({good}): agreement 5/5",
        f"FAILED: capital ({bad}): agreement 5/6",
    ]


def test_json_report(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [OSLO])
    out_path = tmp_path / "r.json"
    rc, _, _ = cli("test", g, "--json", out_path)
    assert rc == 1
    data = json.loads(out_path.read_text())
    run = data["runs"][0]
    assert run["passed"] is False
    assert run["metrics"]["n_agree"] == 5 and run["metrics"]["pass_fail"]["recall"] == 0.75
    assert [r["id"] for r in run["rows"] if not r["agree"]] == ["oslo-dot"]
    assert run["checks"][0]["implicit"] is True


def test_errors_in_rows_are_reported(tmp_path):
    # item lacks `answer`: a per-row missing_field error, scored 0 (on_error: zero).
    rows = CAPITAL_ROWS + [{"item": {"question": "?"}, "sample": "x", "expected": "pass", "id": "no-answer"}]
    g = write(tmp_path, EXACT, rows)
    rc, out, _ = cli("test", g)
    assert rc == 1
    assert "1 with errors" in out
    assert "error missing_field" in out


def test_show_caps_printed_trees(tmp_path):
    rows = [row(str(i), "nope", "pass") for i in range(30)]
    g = write(tmp_path, EXACT, rows)
    rc, out, _ = cli("test", g, "--show", "3")
    assert rc == 1
    assert "disagreements: 30 (showing 3; --show N for more)" in out
    assert out.count("[scored]") == 3
