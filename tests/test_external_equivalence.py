"""Development sets built from data we did not write (issue 8).

- tests/data/external_equivalence/: pairs asserted by other projects' unit
  tests, with the suite's verdict and our judged label.
- tests/data/realistic/: seeded realistic completions, labelled by
  construction (benchmarks/equivalence/realistic.py).

The schema checks always run. The scoring check holds the `math` kind, in its
default config, to zero false positives (credit for a pair judged false) on
the external development split, leaving out the rows tagged as a tool's own
convention (issue 8, acceptance 1: those are reported apart). Agreement is
measured by
benchmarks/equivalence/run_external.py, not asserted here.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
EXTERNAL = DATA / "external_equivalence"
REALISTIC = DATA / "realistic"

EXTERNAL_FIELDS = {
    "id": str, "source": str, "prediction": str, "gold": str, "suite_label": bool,
    "label": bool, "label_note": (str, type(None)), "convention": (str, type(None)), "category": str,
}
REALISTIC_FIELDS = {"id": str, "style": str, "completion": str, "gold": str, "label": bool, "why": str}
GRADER = {"grader": {"type": "math", "reference": "{{ item.gold }}"}}

# False positives of the committed `math` kind that are known and not yet fixed, so that the
# test still catches every NEW one (the test warns when a listed pair is no longer credited).
# The three listed at the baseline (6041897: a negated box, a "Candidate:" box, a box inside
# <think>) are fixed. Known now (third-pass data, helper data3):
KNOWN_FALSE_POSITIVES: dict[str, str] = {}


def _load(directory: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(directory.glob("*.jsonl")):
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["_where"] = f"{path.name}:{n}"
                rows.append(row)
        out[path.name] = rows
    return out


EXT = _load(EXTERNAL)
REAL = _load(REALISTIC)
EXT_ROWS = [r for rows in EXT.values() for r in rows]
REAL_ROWS = [r for rows in REAL.values() for r in rows]


def _check_fields(rows: list[dict], fields: dict) -> None:
    for r in rows:
        missing = set(fields) - set(r)
        assert not missing, f"{r['_where']}: missing {sorted(missing)}"
        for name, kind in fields.items():
            assert isinstance(r[name], kind), f"{r['_where']}: {name} is {type(r[name]).__name__}"
        assert r["id"], r["_where"]


def test_external_files_exist_and_are_listed_in_readme():
    assert EXT, "no JSONL files in tests/data/external_equivalence"
    readme = (EXTERNAL / "README.md").read_text(encoding="utf-8")
    unlisted = [name for name in EXT if f"`{name}`" not in readme]
    assert not unlisted, f"source files not described in README.md: {unlisted}"


def test_external_schema():
    _check_fields(EXT_ROWS, EXTERNAL_FIELDS)
    for r in EXT_ROWS:
        assert re.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{7,40}:", r["source"]), f"{r['_where']}: source names repo@commit:path"
        if r["label"] != r["suite_label"]:
            assert r["label_note"], f"{r['_where']}: overruling the suite needs a label_note"


def test_realistic_schema():
    assert REAL, "no JSONL files in tests/data/realistic"
    _check_fields(REAL_ROWS, REALISTIC_FIELDS)
    for r in REAL_ROWS:
        assert r["gold"].strip(), f"{r['_where']}: empty gold"
        assert r["why"], r["_where"]


def test_ids_unique():
    for rows in (EXT_ROWS, REAL_ROWS):
        dup = [k for k, v in Counter(r["id"] for r in rows).items() if v > 1]
        assert not dup, f"duplicate ids: {dup[:10]}"


def test_both_labels_present():
    for rows in (EXT_ROWS, REAL_ROWS):
        labels = Counter(r["label"] for r in rows)
        assert labels[True] and labels[False], labels


@pytest.fixture(scope="module")
def external_scores() -> list[float]:
    import graders

    grader = graders.from_dict(GRADER)
    result = grader.score([r["prediction"] for r in EXT_ROWS], [{"gold": r["gold"]} for r in EXT_ROWS])
    scores = [float(s) for s in result.scores]
    assert len(scores) == len(EXT_ROWS)
    return scores


def test_no_false_positives_on_external_dev(external_scores):
    credited = {
        r["id"]: f"{r['id']} (gold {r['gold'][:50]!r}, prediction …{r['prediction'][-60:]!r})"
        for r, s in zip(EXT_ROWS, external_scores, strict=True)
        if s == 1.0 and not r["label"] and not r["convention"]
    }
    new = [text for rid, text in credited.items() if rid not in KNOWN_FALSE_POSITIVES]
    assert not new, "credited pairs judged false:\n" + "\n".join(new)
    fixed = sorted(set(KNOWN_FALSE_POSITIVES) - set(credited))
    if fixed:
        warnings.warn(f"no longer false positives, remove from KNOWN_FALSE_POSITIVES: {fixed}", stacklevel=1)


def test_known_false_positives_are_dev_rows():
    ids = {r["id"] for r in EXT_ROWS}
    assert set(KNOWN_FALSE_POSITIVES) <= ids
