"""`exact`: equality after the normalisations you choose."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from pydantic import Field

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

Normalization = Literal["latex", "case", "whitespace", "punctuation", "articles", "nfkc"]

_WS = re.compile(r"\s+")
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.IGNORECASE)
_LATEX_WRAP = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|operatorname|mbox)\s*\{([^{}]*)\}")
_LATEX_SPACE = re.compile(r"\\[,;:! ]|\\quad|\\qquad|~")
_LATEX_DELIMS = re.compile(r"\$|\\\(|\\\)|\\\[|\\\]")


def _unlatex(s: str) -> str:
    """Drop LaTeX dressing around text answers: `$\\text{(B)}$` -> `(B)`."""
    s = _LATEX_DELIMS.sub("", s)
    for _ in range(4):  # nested wrappers, bounded
        s2 = _LATEX_WRAP.sub(r"\1", s)
        if s2 == s:
            break
        s = s2
    return _LATEX_SPACE.sub(" ", s).replace("\\%", "%").replace("\\&", "&")


_PUNCT = str.maketrans("", "", string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00bf\u00a1")

# Applied in this fixed order whatever order the config lists them in, so that
# e.g. articles are removed before whitespace is collapsed.
_STEPS: list[tuple[str, Callable[[str], str]]] = [
    ("latex", _unlatex),
    ("nfkc", lambda s: unicodedata.normalize("NFKC", s)),
    ("case", str.casefold),
    ("punctuation", lambda s: s.translate(_PUNCT)),
    ("articles", lambda s: _ARTICLES.sub(" ", s)),
    ("whitespace", lambda s: _WS.sub(" ", s).strip()),
]


def make_normalizer(options: Sequence[str]) -> Callable[[str], str]:
    steps = [fn for name, fn in _STEPS if name in options]

    def normalize(s: str) -> str:
        s = s.strip()
        for fn in steps:
            s = fn(s)
        return s

    return normalize


@grader_kind
class ExactConfig(LeafConfig):
    """1 when the normalised input equals the normalised reference.

    Args:
        normalize: any of latex, case, whitespace, punctuation, articles, nfkc
            (applied in that fixed order: latex, nfkc, case, punctuation, articles,
            whitespace). `latex` drops `$...$` and `\\(...\\)` delimiters, unwraps
            `\\text{}`/`\\mathrm{}`/`\\textbf{}` and turns `\\,` spacing into spaces.
            Leading/trailing whitespace is always stripped. Note NFKC folds
            superscripts (`4²` -> `42`): use it for text, not for math.

    Example:
        ```yaml
        type: exact
        reference: "{{ item.answer }}"
        extract: {type: xml_tag, tag: answer}
        normalize: [case, whitespace, punctuation, articles]
        ```
    """

    type: Literal["exact"]
    normalize: list[Normalization] = Field(default_factory=lambda: ["whitespace"])

    def make_scorer(self) -> LeafScorer:
        norm = make_normalizer(self.normalize)

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            ref_cache: dict[str, str] = {}
            out = np.zeros(len(inputs))
            for i, (a, b) in enumerate(zip(inputs, refs, strict=True)):
                nb = ref_cache.get(b or "")
                if nb is None:
                    nb = ref_cache[b or ""] = norm(b or "")
                out[i] = norm(a) == nb
            return LeafBatch(out)

        return score
