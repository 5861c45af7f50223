"""Statements: which of several answers in a text belong together.

Extractors find answers (boxes, statements) in order of appearance; this module
groups them into *statements* and turns each statement into one candidate.
The policy (`graders.extract._core.apply_policy`) then picks among the
candidates: under the default `last` the answer is the last statement's.

Two consecutive answers belong to the same statement unless the text between
them (the *gap*) separates them. In order:

1. the part of the gap after its last sentence end (the later answer's own
   sentence) holds a word offering an alternative (`or`, `either`,
   `alternatively`, `otherwise`, `maybe`, `possibly`, `perhaps`, `probably`):
   same statement, even across sentences ("... there are \\boxed{5} ways.
   Alternatively, ... \\boxed{10} ways.");
2. the gap holds a sentence end (`.`, `!`, `?` or `。！？` before whitespace or
   the end; a blank line), a correction (`wait`, `actually`, `wrong`,
   `mistake`, `oops`, `sorry`, `instead`, `rather`, `correction`, `recount`,
   `recompute`, `recalculate`, `redo`, `no,`, `realized`, `on second thought`,
   `recheck`, `error`, `however`, ...), ends
   with an answer marker ("... the answer is \\boxed{C}": the later answer is
   introduced as THE answer) or is longer than
   `MAX_GAP` characters: a new statement;
3. the gap is only an equals sign (`\\boxed{\\frac12} = \\boxed{0.5}`): the
   same value written twice, so a new statement (the later form counts);
4. otherwise (`,`, `and`, `or`, spaces, a line break, `$ $`): same statement.

A statement whose answers are all the same text is that answer. A statement
with several different answers becomes ONE candidate, the answers joined with
", ": a multi-valued answer (a list, not "or": two boxed inequalities must not
read as their union). The comparer decides what it is worth: it never
matches a single-valued reference (a hedge earns nothing, under every policy,
because it is one candidate), and it can match a reference that itself has
several parts (`x = 2` and `x = -3` against `2, -3`). At most
`MAX_STATEMENT_PARTS` distinct answers are joined; a statement with more is a
hedge of so many parts that it is kept as the first `MAX_STATEMENT_PARTS`
(still several values, so still worth nothing against a single value) to bound
the comparer's work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A gap longer than this (with no sentence end) still separates statements.
MAX_GAP = 300
#: At most this many distinct answers are joined into one statement candidate.
MAX_STATEMENT_PARTS = 16

_SENTENCE_END = re.compile(r"(?<!\.)[.!?](?=\s|$)|[。！？]|\n[ \t]*\n")  # an ellipsis "..." is none
_ALTERNATIVE = re.compile(
    r"(?<![A-Za-z\\])(?:or|either|alternatively|otherwise|maybe|possibly|perhaps|probably)(?![A-Za-z])"
    r"|也可能|或者|或",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"(?<![A-Za-z\\])(?:wait|actually|wrong|mistake|mistaken|oops|sorry|instead|rather|correction|"
    r"corrected|incorrect|recount\w*|recomput\w*|recalculat\w*|redo|no,|reali[sz]e[ds]?|on second thought|reconsider\w*|on reflection|turns out|"
    r"re-?check\w*|re-?examin\w*|re-?evaluat\w*|error|however"
    r"|(?:second|third|fourth|next|another|new|revised|updated)\s+(?:try|attempt|guess)|try again|retry)(?![A-Za-z])",
    re.IGNORECASE,
)
# The later answer is introduced as THE answer ("- Option B: \\boxed{B} seems unlikely
# - After full analysis, the answer is \\boxed{C}"): a commitment of its own.
_MARKER_END = re.compile(
    r"(?<![A-Za-z])(?:(?:the|final|correct|right)\s+(?:answer|value|result|choice|option)\s*"
    r"(?:is|would be|should be|[:：])"
    # a label opening the later answer's line ("Scratch \\boxed{9}\nFinal: \\boxed{2} and \\boxed{3}")
    r"|(?:^|\n)[ \t*#]*(?:final|answer|final answer|result|conclusion|solution)[ \t*]*[:：])\s*[$(*]*\s*\Z",
    re.IGNORECASE,
)
# The later answer is called the last one ("first \\boxed{12}; final \\boxed{34}", "首先 ... 最後 ..."):
# what came before it was a step on the way.
_FINALLY = re.compile(
    r"(?:(?<![A-Za-z])(?:finally|final|in the end|at last|ultimately|finalement|enfin|schließlich|endlich"
    r"|finalmente|al final|alla fine"
    # a succession: "First try \\boxed{10}, then \\boxed{20}", "\\boxed{1} and later \\boxed{3}"
    r"|then|later|afterwards|after that|subsequently|puis|dann|luego|depois)(?![A-Za-z])"
    r"|最後|最后|最终|最終|然后|然後|之后|之後|마지막으로|最後に)[\s,:：，$(*]*\Z",
    re.IGNORECASE,
)
# A later answer on a line of its own that opens with its own marker ("#### 5\n#### 4",
# "Answer: 3\nFinal answer: 5") is a new statement, not a second answer of the first one.
_LINE_MARKER = re.compile(
    r"[ \t*_>#-]*(?:####|(?:the\s+)?(?:final\s+|correct\s+)?answer|final|result|conclusion)(?![A-Za-z])"
    r"|(?:最终|最終)?答案|答[:：]",
    re.IGNORECASE,
)
_EQUALS_ONLY = re.compile(r"[\s$]*(?:=|\\approx|\\equiv)[\s$]*")


def relation(gap: str) -> str:
    """How the text between two answers relates them: `join` or `split`."""
    if len(gap) > MAX_GAP:
        ends = list(_SENTENCE_END.finditer(gap))
        tail = gap[ends[-1].end() :] if ends else gap[-MAX_GAP:]
        return "join" if len(tail) <= MAX_GAP and _ALTERNATIVE.search(tail) else "split"
    ends = list(_SENTENCE_END.finditer(gap))
    tail = gap[ends[-1].end() :] if ends else gap
    if _ALTERNATIVE.search(tail):
        return "join"
    if (ends or _CORRECTION.search(gap) or _EQUALS_ONLY.fullmatch(gap) or _MARKER_END.search(gap)
            or _FINALLY.search(gap)):
        return "split"
    return "join"


def statements(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    """One candidate per statement, in order, from answers `(start, end, value)`
    found in `text` (sorted by position, non-overlapping)."""
    if not spans:
        return ()
    if len(spans) == 1:
        return (spans[0][2],)
    out: list[str] = []
    group: list[str] = [spans[0][2]]
    for prev, cur in zip(spans, spans[1:], strict=False):
        if cur[2] == prev[2] and len(group) == 1 and group[0] == cur[2]:
            continue  # the same answer again: the same candidate whatever the gap says
        gap = text[prev[1] : cur[0]]
        if relation(gap) == "join" and not (
            _LINE_MARKER.match(text, cur[0]) and not _ALTERNATIVE.search(text, prev[0], cur[0])
        ):
            group.append(cur[2])
        else:
            out.append(_one(group))
            group = [cur[2]]
    out.append(_one(group))
    return tuple(out)


def _one(values: list[str]) -> str:
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return distinct[0]
    return ", ".join(distinct[:MAX_STATEMENT_PARTS])
