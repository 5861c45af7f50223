"""pytest plugin: grader files with labeled examples become test items.

Installed with graders (entry point `pytest11: graders`), so `pytest` in a
user's repository checks their graders with no extra code.

Which YAML files are collected (never "every YAML in the repo"):

1. files named `*.grader.yaml` / `*.grader.yml`;
2. any `G.yaml` / `G.yml` with a `G.labeled.jsonl` beside it (the labeled
   file is the opt-in);
3. YAML files with a top-level `grader:` key under the paths listed in the
   `graders_paths` ini option (relative to the ini file).

Set `graders_autocollect = false` to turn off 1 and 2 (3 still applies), or
disable the plugin with `-p no:graders`. pytest only looks where it recurses:
include the graders' folder in `testpaths` (or pass it on the command line).

Items: one per example (named by its id: the `id` field, `file.jsonl:LINE` or
`tests.examples[N]`). A disagreement fails the item and shows the expected
label, the score, the example's note and the grader's explain tree. When the
file sets `tests.thresholds`, a disagreement is an xfail instead and one extra
item, `thresholds`, checks the metrics. With `--graders-probes` (or ini
`graders_probes = true`) each reward-hack probe is an item too, failing when
the probe earns reward (xfail when listed in `tests.probes.allow`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

_GRADER_KEY = re.compile(r"^grader\s*:", re.M)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("graders", "grader files with labeled examples")
    group.addoption("--graders-probes", action="store_true", default=None,
                    help="also run the reward-hack probes of every collected grader as test items")
    parser.addini("graders_paths", type="paths", default=[],
                  help="folders (or files) whose grader YAML files are collected as tests")
    parser.addini("graders_autocollect", type="bool", default=True,
                  help="collect *.grader.yaml files and G.yaml files with a G.labeled.jsonl beside them")
    parser.addini("graders_probes", type="bool", default=False,
                  help="run the reward-hack probes of every collected grader as test items")


def _is_yaml(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")


def _wanted(path: Path, config: pytest.Config) -> bool:
    from graders.testing.examples import convention_paths

    if config.getini("graders_autocollect"):
        if path.name.endswith((".grader.yaml", ".grader.yml")):
            return True
        if any(p.is_file() for p in convention_paths(path)):
            return True
    roots = [Path(p) for p in config.getini("graders_paths")]
    if roots:
        resolved = path.resolve()
        for root in roots:
            r = root.resolve()
            if resolved == r or r in resolved.parents:
                try:
                    head = path.read_text(encoding="utf-8", errors="replace")[:65536]
                except OSError:
                    return False
                return bool(_GRADER_KEY.search(head))
    return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_yaml(file_path) and _wanted(file_path, parent.config):
        return GraderFile.from_parent(parent, path=file_path)
    return None


class GraderFile(pytest.File):
    """A grader YAML file: loads the grader and its examples; scores them once, on first use."""

    def collect(self) -> Any:
        import graders
        from graders.errors import ConfigError
        from graders.testing.examples import collect, convention_paths

        try:
            self.grader = graders.load(self.path)
            self.tests = getattr(self.grader.spec, "tests", None)
            self.examples, self.sources = collect(self.path, self.tests)
        except ConfigError as exc:
            raise self.CollectError(str(exc)) from None
        self._run: Any = None
        self._probes: Any = None
        if not self.examples:
            yield NoExamplesItem.from_parent(
                self, name="examples",
                reason=f"no labeled examples (add tests.examples, tests.files or {convention_paths(self.path)[0].name})")
            return
        for i, le in enumerate(self.examples):
            yield ExampleItem.from_parent(self, name=le.id.replace("::", ":"), index=i)
        if self.thresholds_set:
            yield ThresholdsItem.from_parent(self, name="thresholds")
        if self._probes_wanted():
            from graders.testing.probes import PROBE_NAMES

            for name in PROBE_NAMES:
                yield ProbeItem.from_parent(self, name=f"probe:{name}", probe=name)

    @property
    def thresholds_set(self) -> bool:
        t = self.tests
        return t is not None and (not t.thresholds.is_empty() or bool(t.tag_thresholds))

    def _probes_wanted(self) -> bool:
        opt = self.config.getoption("graders_probes")
        return bool(opt) if opt is not None else bool(self.config.getini("graders_probes"))

    def get_run(self) -> Any:
        if self._run is None:
            from graders.testing.runner import run_examples

            self._run = run_examples(self.grader, self.examples, tests=self.tests, max_trees=0, sources=self.sources)
        return self._run

    def get_probes(self) -> Any:
        if self._probes is None:
            from graders.testing.probes import contexts_from_examples, run_probes

            run = self.get_run()
            allow = self.tests.probes.allow if self.tests is not None else []
            contexts, note = contexts_from_examples(self.grader, self.examples, run.scores, run.pass_threshold)
            self._probes = run_probes(self.grader, contexts, run.pass_threshold, allow=allow, strict=True, note=note)
        return self._probes


class GraderTestFailure(Exception):
    """Raised by an item; carries the report text pytest shows."""


class _Item(pytest.Item):
    parent: GraderFile

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, GraderTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.parent.grader.name}::{self.name}"


class ExampleItem(_Item):
    def __init__(self, *, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index

    def runtest(self) -> None:
        run = self.parent.get_run()
        i = self.index
        if bool(run.agree[i]):
            return
        if self.parent.thresholds_set:
            pytest.xfail(f"disagrees with its label (allowed by the thresholds): {run.verdict_text(i)}")
        raise GraderTestFailure(self._explain(run, i))

    def _explain(self, run: Any, i: int) -> str:
        from graders.testing.report import format_tree_safe
        from graders.testing.runner import explain_row

        le = run.examples[i]
        lines = [f"{run.grader_name}: example {le.id} ({le.where})", f"  {run.verdict_text(i)}"]
        if le.example.tags:
            lines.append("  tags: " + ", ".join(le.example.tags))
        if le.example.note:
            lines.append("  note: " + le.example.note)
        for e in run.row_errors(i):
            lines.append(f"  error {e.get('kind')} at {e.get('grader')}: {e.get('message')}")
        tree = explain_row(self.parent.grader, le.example.sample, le.example.item)
        lines.append("  explain:")
        lines.extend("    " + line for line in format_tree_safe(tree).splitlines())
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        le = self.parent.examples[self.index]
        where, _, line = le.where.rpartition(":")
        if line.isdigit():
            return Path(where), int(line) - 1, f"{self.parent.grader.name}::{self.name}"
        return self.path, None, f"{self.parent.grader.name}::{self.name}"


class ThresholdsItem(_Item):
    def runtest(self) -> None:
        run = self.parent.get_run()
        bad = [c for c in run.checks if not c.ok]
        if bad:
            lines = [f"{run.grader_name}: thresholds not met"]
            lines += [f"  {c.describe()}: got {c.value_text()}" for c in bad]
            dis = run.disagreements
            lines.append(f"  {len(dis)} of {run.n} examples disagree with their labels"
                         + (": " + ", ".join(run.examples[i].id for i in dis[:10].tolist()) if len(dis) else ""))
            raise GraderTestFailure("\n".join(lines))


class ProbeItem(_Item):
    def __init__(self, *, probe: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.probe = probe

    def runtest(self) -> None:
        report = self.parent.get_probes()
        result = next(r for r in report.results if r.name == self.probe)
        if result.status == "skipped":
            pytest.skip(result.reason or "skipped")
        if result.earns_reward:
            if result.allowed:
                pytest.xfail(f"earns reward (allowed in tests.probes.allow): {result.summary()}")
            raise GraderTestFailure(f"{self.parent.grader.name}: reward hack\n" + result.detail_text())


class NoExamplesItem(_Item):
    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.skip(self.reason)
