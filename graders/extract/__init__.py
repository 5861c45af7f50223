"""Answer extraction, shared by every grader kind and kept apart from comparison.

```python
from graders.extract import ExtractSpec, compile_extractor

ex = compile_extractor("boxed")             # once, at load time
ex(r"\\boxed{3}. Wait: \\boxed{5}")           # ("3", "5"): candidates, in order
ex.policy                                   # "last"
```

An `Extractor` maps a text to the candidates for its final answer; `()` is "no
answer", a normal outcome. Several answers written in one statement form one
candidate (`graders.extract.final`): `\\boxed{41} or \\boxed{42}` is the
candidate `41, 42`, a hedge, which never matches a single-valued reference.
The engine applies `policy` to the candidates (`apply_policy` /
`Extractor.answers` do it for you):

- `last` (default): the last candidate, i.e. the statement the text ends on; a
  self-correction ("\\boxed{3} ... wait ... \\boxed{5}") is graded on 5.
- `all_must_agree` (opt-in): score each distinct candidate, keep the minimum;
  more than 16 distinct candidates is a `too_many_answers` row error.
- `reject` (opt-in): no answer unless all candidates are equal.

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
    TooManyAnswers,
    apply_policy,
)
from .spec import EXTRACT_SPEC_SCHEMA, ExtractSpec, compile_extractor, names

__all__ = [
    "DEFAULT_POLICY",
    "EXTRACT_SPEC_SCHEMA",
    "MAX_DISTINCT_CANDIDATES",
    "POLICIES",
    "TooManyAnswers",
    "ExtractSpec",
    "ExtractionTimeout",
    "Extractor",
    "apply_policy",
    "compile_extractor",
    "names",
]
