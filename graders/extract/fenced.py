"""`fenced`: a program from a Markdown code block (```` ``` ```` or `~~~` fences).

`{type: fenced, language: python, which: last}` (the bare name means these
defaults). Rules, decided for RL completions that explain, then answer:

- a block opens with a line of three or more backticks (or tildes), up to three
  spaces of indentation, and an optional info string whose first word is the
  language (`python`, `py`, `python3`; `cpp`, `c++`, `cc`, `cxx`; any other
  word is taken as written); it closes at a line of the same character, at
  least as long, with nothing else on it. A block never closed (a truncated
  completion) is not a block.
- the candidate is the `which` (last or first) block tagged with `language`;
  when none is tagged with it, the `which` block with no language tag. Blocks
  tagged with another language are never taken (`language: any` takes the
  `which` block of any tag). One candidate at most: a program is one block.
- the block's text is dedented as a whole; no block gives no answer.

Linear in the text (one pass over its lines).
"""

from __future__ import annotations

import textwrap

from ._core import Built, Kind, SpecError, register

ALIASES = {
    "python": ("python", "py", "python3", "py3"),
    "cpp": ("cpp", "c++", "cc", "cxx", "cplusplus"),
    "c": ("c",),
}


def blocks(text: str) -> list[tuple[str, str]]:
    """Every closed fenced block as (language tag, lowercased; body)."""
    out: list[tuple[str, str]] = []
    if "```" not in text and "~~~" not in text:
        return out
    fence = ""
    tag = ""
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not fence:
            if indent <= 3 and stripped[:3] in ("```", "~~~"):
                ch = stripped[0]
                n = len(stripped) - len(stripped.lstrip(ch))
                info = stripped[n:].strip()
                if ch == "`" and "`" in info:
                    continue  # an inline code span, not a fence
                fence = ch * n
                tag = info.split()[0].lower() if info else ""
                if tag.startswith("{") and tag.endswith("}"):  # ```{python}
                    tag = tag[1:-1]
                body = []
            continue
        s = stripped.rstrip()
        if indent <= 3 and s.startswith(fence) and s == fence[0] * len(s):
            out.append((tag, "\n".join(body)))
            fence = ""
            continue
        body.append(line)
    return out


def _build(options) -> Built:
    language = options.get("language", "python")
    which = options.get("which", "last")
    if not isinstance(language, str) or not language.strip():
        raise SpecError(f"language must be a language name such as 'python' or 'any', got {language!r}", ".language")
    if which not in ("last", "first"):
        raise SpecError(f"which must be 'last' or 'first', got {which!r}", ".which")
    lang = language.strip().lower()
    tags = ALIASES.get(lang, (lang,))
    any_lang = lang == "any"

    def fenced(text: str) -> tuple[str, ...]:
        found = blocks(text)
        if not found:
            return ()
        if any_lang:
            pool = [b for _, b in found]
        else:
            pool = [b for t, b in found if t in tags] or [b for t, b in found if not t]
        if not pool:
            return ()
        body = textwrap.dedent(pool[-1] if which == "last" else pool[0]).strip("\n")
        return (body,) if body.strip() else ()

    return Built(fenced, (("language", lang), ("which", which)), f"fenced ({lang}, {which} block)")


register(
    Kind(
        name="fenced",
        build=_build,
        summary="a program from a Markdown code block (last ```python block, else last untagged block)",
        options=("language", "which"),
        option_schema={
            "language": {"type": "string", "default": "python",
                         "description": "python, cpp, c, any, or a fence tag as written"},
            "which": {"enum": ["last", "first"], "default": "last"},
        },
    )
)
