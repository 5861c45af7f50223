"""Answer extraction, shared by every grader kind and kept apart from comparison.

```python
from graders.extract import ExtractSpec, compile_extractor

ex = compile_extractor("boxed")             # once, at load time
ex(r"so \\boxed{41} or \\boxed{42}")         # ("41", "42"): candidates, in order
ex.policy                                   # "all_must_agree"
```

An `Extractor` maps a text to the candidates for its final answer; `()` is "no
answer", a normal outcome. The engine applies `policy` to the candidates
(`apply_policy` / `Extractor.answers` do it for you):

- `all_must_agree` (default): score each distinct candidate, keep the minimum.
  A policy optimized against the reward would otherwise learn to list answers
  (`\\boxed{41} ... \\boxed{42}`) and collect credit for the right one; repeating
  the same answer is harmless. More than 16 distinct candidates is no answer.
- `last`: only the last candidate counts.
- `reject`: no answer unless all candidates are equal.

Names: `boxed`, `last_number`, `answer_line`, `xml_tag`, `regex`, `json_path`,
`strip_think`, `last_line`, `auto`, `identity` / `none`. Each lives in its own
module, whose docstring gives its exact rules; `spec` documents the config forms
and pipelines. Every extractor is linear-time (or bounded, for config regexes,
which raise `ExtractionTimeout`) on hostile text.
"""

from ._core import (
    DEFAULT_POLICY,
    MAX_DISTINCT_CANDIDATES,
    POLICIES,
    ExtractionTimeout,
    Extractor,
    apply_policy,
)
from .spec import EXTRACT_SPEC_SCHEMA, ExtractSpec, compile_extractor, names

__all__ = [
    "DEFAULT_POLICY",
    "EXTRACT_SPEC_SCHEMA",
    "MAX_DISTINCT_CANDIDATES",
    "POLICIES",
    "ExtractSpec",
    "ExtractionTimeout",
    "Extractor",
    "apply_policy",
    "compile_extractor",
    "names",
]
