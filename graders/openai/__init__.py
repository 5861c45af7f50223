"""OpenAI grader JSON in and out: import with OpenAI's rules and semantics, export, and the run endpoint.

- `from_openai(obj)`: OpenAI grader JSON -> a `Grader` (`graders.openai.importer`);
- `to_openai(grader)`: a graders tree -> OpenAI grader JSON, flattened into one
  `multi` where that is exact (`graders.openai.exporter`);
- `run_openai(grader, sample, item)`: the run endpoint's response shape
  (`graders.openai.run`).
"""

from __future__ import annotations

from graders.openai.exporter import to_openai
from graders.openai.importer import from_openai, openai_to_config
from graders.openai.run import run_openai

__all__ = ["from_openai", "openai_to_config", "run_openai", "to_openai"]
