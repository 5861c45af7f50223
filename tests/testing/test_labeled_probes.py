"""`graders test --probes`: built-in reward hacks, what a sound grader gives, strict mode."""

from __future__ import annotations

import numpy as np
import pytest

import graders
from graders.testing.examples import collect
from graders.testing.probes import (
    PROBE_NAMES,
    PROBES,
    ProbeContext,
    contexts_from_examples,
    reference_text,
    run_probes,
    wrong_answers,
)

from .labeled_helpers import CAPITAL_ROWS, EXACT, TOY, cli, row, write

# `ilike`: the reference anywhere in the output, any case: a grader the hacks beat.
NAIVE = """\
name: naive
grader:
  type: string_check
  operation: ilike
  reference: "{{ item.answer }}"
"""

# Each box found on its own, the last one kept: several boxed answers with the right
# one last earn reward (no notion of a final statement).
LAST_BOXED = """\
name: last-boxed
grader:
  type: numeric
  reference: "{{ item.answer }}"
  extract: {type: regex, pattern: "boxed\\\\{([^}]*)\\\\}", multiple: last}
"""

# The default extraction (auto, policy last): a hedge is one multi-valued candidate.
SOUND_BOXED = """\
name: sound-boxed
grader:
  type: numeric
  reference: "{{ item.answer }}"
"""

STRICT_BOXED = """\
name: strict-boxed
grader:
  type: numeric
  reference: "{{ item.answer }}"
  extract: {type: boxed, multiple: all_must_agree}
"""

BOXED_ROWS = [row("42", "So the answer is \\boxed{42}.", "pass"), row("42", "\\boxed{41}", "fail")]


def _probe(tmp_path, grader_text, rows, name="g"):
    g = write(tmp_path, grader_text, rows, name=name)
    grader = graders.load(g)
    examples, _ = collect(g, grader.spec.tests)
    scores = grader.score([e.example.sample for e in examples], [e.example.item for e in examples]).scores
    contexts, note = contexts_from_examples(grader, examples, scores, 0.5)
    report = run_probes(grader, contexts, 0.5, note=note)
    return {r.name: r for r in report.results}, report


def test_every_probe_states_the_sound_outcome():
    assert len(PROBES) >= 7
    assert {"empty", "hedge", "multiple_boxed", "echo_prompt", "repeated_tags", "overlong", "judge_injection"} <= set(PROBE_NAMES)
    for p in PROBES:
        assert p.sound and p.title


def test_wrong_answers():
    assert wrong_answers("42") == ("43", "41")
    assert wrong_answers("-1") == ("0", "-2")
    assert wrong_answers("2.50") == ("3.50", "1.50")
    assert wrong_answers("B") == ("A", "C")
    assert wrong_answers("yes")[0] == "no"
    w1, w2 = wrong_answers("Paris")
    assert "Paris" not in (w1, w2) and w1 != w2


def test_reference_from_the_grader_template(tmp_path):
    g = graders.load(write(tmp_path, TOY))
    assert reference_text(g, {"answer": " 7 "}) == "7"
    assert reference_text(g, {"solution": "8"}) == "8"  # template fails: an answer-like field


def test_naive_grader_is_caught(tmp_path):
    results, report = _probe(tmp_path, NAIVE, CAPITAL_ROWS)
    assert results["hedge"].earns_reward
    assert "or Paris or" in results["hedge"].text or "Paris" in results["hedge"].text
    assert results["echo_prompt"].earns_reward  # "what is Paris?" contains the answer
    assert results["overlong"].earns_reward
    assert results["judge_injection"].status == "resisted"
    assert results["empty"].status == "resisted"
    assert report.ok  # not strict: report only


def test_exact_grader_resists(tmp_path):
    results, report = _probe(tmp_path, EXACT, CAPITAL_ROWS)
    earned = [n for n, r in results.items() if r.earns_reward]
    assert earned == []
    assert "correct answer" in report.controls


def test_last_boxed_grader_vs_all_must_agree(tmp_path):
    naive, _ = _probe(tmp_path, LAST_BOXED, BOXED_ROWS, name="last")
    assert naive["multiple_boxed"].earns_reward
    assert naive["multiple_boxed"].variant == "three boxed answers, right one last"
    for text, name in ((SOUND_BOXED, "sound"), (STRICT_BOXED, "strict")):
        sound, _ = _probe(tmp_path, text, BOXED_ROWS, name=name)
        assert not sound["multiple_boxed"].earns_reward, name
        assert not sound["hedge"].earns_reward, name


def test_self_correction_is_not_a_hedge():
    g = graders.from_dict({"grader": {"type": "numeric", "reference": "{{ item.answer }}"}})
    text = "So \\boxed{41}. Wait, I mis-added the last column. Recomputing, \\boxed{42}."
    assert g.score([text], [{"answer": "42"}]).scores.tolist() == [1.0]


def test_probe_variants_are_built_from_the_row():
    ctx = ProbeContext({"question": "6*7?", "answer": "42"}, "Thinking... \\boxed{42}", "42", ("43", "41"),
                       "6*7?", "r1")
    assert ctx.frame("43") == "Thinking... \\boxed{43}"
    by_name = {p.name: p.build(ctx) for p in PROBES}
    assert any("43 or 42 or 41" in v.text for v in by_name["hedge"])
    assert any(v.text == "6*7?" for v in by_name["echo_prompt"])
    assert any(v.text == "" for v in by_name["empty"])
    assert any(v.text.count("<answer>") == 3 for v in by_name["repeated_tags"])
    assert all(len(v.text) > 10_000 for v in by_name["overlong"])
    assert any("give full marks" in v.text.lower() for v in by_name["judge_injection"])


def test_no_passing_example_skips_probes(tmp_path):
    results, report = _probe(tmp_path, EXACT, [row("Paris", "Lyon", "fail")])
    assert all(r.status == "skipped" for r in results.values())
    assert "no labeled passing example" in report.note


def test_wrong_control_rewarded_is_flagged(tmp_path):
    anything = "name: anything\ngrader: {type: regex, pattern: '.*'}\n"
    _, report = _probe(tmp_path, anything, [row("1", "1", "pass")])
    assert "a plain wrong answer earns reward" in (report.note or "")


@pytest.mark.parametrize(("extra", "yaml_tail", "rc"), [
    (["--probes"], "", 0),  # report only
    (["--probes-strict"], "", 1),
    (["--probes"], "tests:\n  probes: {strict: true}\n", 1),
    (["--probes-strict"], "tests:\n  probes: {allow: [hedge, echo_prompt, overlong, repeated_tags, multiple_boxed]}\n", 0),
    (["--probes-strict", "--probe", "empty", "--probe", "judge_injection"], "", 0),
])
def test_probe_exit_codes(tmp_path, extra, yaml_tail, rc):
    g = write(tmp_path, NAIVE + yaml_tail, CAPITAL_ROWS)
    got, out, err = cli("test", g, *extra)
    assert got == rc, out + err
    assert "hack probes" in out
    if rc == 1:
        assert "probes earned reward: " in out and "hedge" in out.strip().splitlines()[-1]


def test_probe_results_in_text_report(tmp_path):
    g = write(tmp_path, NAIVE, CAPITAL_ROWS)
    _, out, _ = cli("test", g, "--probes")
    line = next(s for s in out.splitlines() if s.strip().startswith("hedge "))
    assert "EARNS REWARD" in line
    assert "sound grader: no reward: a list of candidates is not an answer" in out
    assert np.isfinite(0)  # keep numpy import used
