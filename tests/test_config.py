"""Loading grader files: safe YAML, located errors, strict keys, bounded aliases."""

from __future__ import annotations

import textwrap

import pytest

import graders
from graders.errors import ConfigError


def load_text(text: str, filename: str = "g.yaml") -> graders.Grader:
    return graders.from_yaml(textwrap.dedent(text), filename=filename)


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as exc:
        load_text(text)
    return exc.value


def test_minimal_file_loads_and_scores() -> None:
    g = load_text("""
        name: t
        grader:
          type: exact
          reference: "{{ item.answer }}"
    """)
    assert g.name == "t"
    assert g.score(["42", "41"], [{"answer": "42"}, {"answer": "42"}]).scores.tolist() == [1.0, 0.0]


def test_bare_node_is_accepted_as_the_grader() -> None:
    g = load_text("""
        type: string_check
        reference: yes
        operation: eq
        input: "{{ sample.output_text }}"
    """.replace("yes", '"yes"'))
    assert g.score(["yes"]).scores.tolist() == [1.0]


def test_malformed_yaml_names_line() -> None:
    err = error_of("""
        grader:
          type: exact
          reference: [unclosed
    """)
    issue = err.issues[0]
    assert issue.file == "g.yaml" and issue.line is not None and issue.line >= 3
    assert "invalid YAML" in str(err)


def test_unknown_kind_names_line_path_and_choices() -> None:
    err = error_of("""
        grader:
          type: formula
          expression: "a"
          graders:
            a:
              type: exactt
              reference: x
    """)
    issue = err.issues[0]
    assert issue.path == "grader.graders.a.type"
    assert issue.line == 7  # the dedented text starts with a blank line
    assert "unknown grader type 'exactt'" in issue.message and "did you mean 'exact'" in issue.message


def test_unknown_key_is_rejected_with_suggestion() -> None:
    err = error_of("""
        grader:
          type: regex
          patern: "x"
    """)
    messages = " | ".join(i.message for i in err.issues)
    assert "unknown key 'patern'" in messages and "did you mean 'pattern'" in messages
    assert any(i.path == "grader.patern" and i.line == 4 for i in err.issues)


def test_formula_naming_missing_child() -> None:
    err = error_of("""
        grader:
          type: formula
          expression: "0.5 * format + correctness"
          graders:
            format: {type: regex, pattern: "x"}
            correct: {type: exact, reference: "{{ item.a }}"}
    """)
    issue = err.issues[0]
    assert issue.path == "grader"
    assert "correctness" in issue.message and "correct" in issue.message
    assert issue.line == 3


def test_missing_required_field() -> None:
    err = error_of("""
        grader:
          type: string_check
          reference: "x"
    """)
    assert any("missing required key 'operation'" in i.message and i.path == "grader.operation" for i in err.issues)


def test_bad_template_is_a_load_error() -> None:
    err = error_of("""
        grader:
          type: exact
          reference: "{{ answer }}"
    """)
    assert "must start with 'sample.' or 'item.'" in err.issues[0].message
    assert err.issues[0].path == "grader.reference"


def test_duplicate_keys_are_refused() -> None:
    err = error_of("""
        grader:
          type: exact
          reference: "a"
          reference: "b"
    """)
    assert "duplicate key 'reference'" in str(err)
    assert err.issues[0].line == 5


def test_python_tags_are_refused() -> None:
    err = error_of("""
        grader: !!python/object/apply:os.system ["echo pwned"]
    """)
    assert "not allowed" in str(err)


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    lines.append("grader: {type: exact, reference: '{{ item.a }}', name: *a8}")
    with pytest.raises(ConfigError) as exc:
        graders.from_yaml("\n".join(lines))
    assert "alias" in str(exc.value)


def test_anchors_merge_keys_and_x_extension_keys() -> None:
    g = load_text("""
        x-common: &common
          reference: "{{ item.answer }}"
          extract: boxed
        grader:
          type: max
          graders:
            a: {<<: *common, type: exact}
            b: {<<: *common, type: numeric}
    """)
    res = g.score(["so \\boxed{1,000}", "\\boxed{7}"], [{"answer": "1000"}, {"answer": "8"}])
    assert res.scores.tolist() == [1.0, 0.0]
    assert res.components["a"].tolist() == [0.0, 0.0]
    assert res.components["b"].tolist() == [1.0, 0.0]


def test_wrong_value_type_reports_got() -> None:
    err = error_of("""
        grader:
          type: fuzzy
          reference: "x"
          threshold: high
    """)
    assert any(i.path == "grader.threshold" and "high" in i.message for i in err.issues)


def test_range_must_be_ordered() -> None:
    err = error_of("""
        grader:
          type: exact
          reference: "x"
          range: [1, 0]
    """)
    assert "min < max" in str(err)


def test_empty_file() -> None:
    err = error_of("")
    assert "empty" in str(err)


def test_load_from_path_names_file(tmp_path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("grader:\n  type: nope\n")
    with pytest.raises(ConfigError) as exc:
        graders.load(p)
    assert str(exc.value).startswith(f"{p}:2:")


def test_missing_file() -> None:
    with pytest.raises(ConfigError) as exc:
        graders.load("/nonexistent/g.yaml")
    assert "cannot read" in str(exc.value)
