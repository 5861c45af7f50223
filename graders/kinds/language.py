"""`language`: the fraction of the reasoning written in the target language (DeepSeek-R1).

DeepSeek-R1 (arXiv 2501.12948) adds a language-consistency reward: the
proportion of the chain of thought's words in the target language, added to
the accuracy reward to stop language mixing. This kind computes it:

- The reasoning: with `reasoning: think` (default) the text of the
  `<think>...</think>` blocks (an unclosed `<think>` runs to the end), or the
  whole input when there is none; `reasoning: all` always takes the whole input.
- Words: runs of letters (an apostrophe or hyphen between letters joins:
  "don't" is one word); each Han ideograph and each kana counts as one word
  (Chinese and Japanese have no spaces), a Hangul run as one word. Numbers,
  formulas and punctuation are not words, so math does not dilute the fraction.
- Each word is first placed by its script. A word in a script the target
  language does not use (Han in English reasoning, Latin in Chinese) is not in
  the target language. Words in the target's script are identified by
  py3langid (BSD-3-Clause, its model ships in the wheel; deterministic) on
  chunks of consecutive sentences of at least `min_words` words, restricted to
  `languages` (default: 30 common languages plus the target); a script that
  only the target uses among them is the target's without asking.
- Score = target-language words / all words, in [0, 1]. Reasoning with no
  words at all is "not applicable" (score 0).

Short chunks are where language identification errs, so chunks are never
shorter than `min_words` (default 10) telling words unless the whole
reasoning is. One-letter ASCII words (x, n, a: variables in math reasoning)
count as words but not as telling ones: identification runs on the others.
A short chunk (a one-line thought, "Hello", "Let n = 7. Then n mod 3 = 1.")
counts as the target's unless another candidate is more likely by more than
`SHORT_MARGIN` (7) nats: py3langid alone reads "Hello" as Finnish, "Wait" as
Indonesian and that line as Danish, while "Ich denke" or "La somme est 15."
stay foreign.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

# py3langid 0.4's labels (ISO 639-1/3 codes); checked again against the installed model at load.
LANGID_LABELS = frozenset(
    "ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo es et eu ext fa fi fo "
    "fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr ht hu hy id ig is it ja jv ka kab kik kk km "
    "kn ko ku ky la lb lg lij ln lo lt ltg lv mg mk ml mn mr ms mt my ne nl nn no nso oc om or pa pcm pl ps pt "
    "qu ro ru rw sa sdh se si sk sl sn so sq sr st sv sw ta te tg th tk tl tr tt ug uk ur uz uzs vec vi vo wa "
    "wuu xh yo yue zh zu".split())
DEFAULT_LANGUAGES = ("en zh es fr de ru ja ko pt it nl pl tr ar fa he hi bn vi th id uk cs sv el ro hu fi da no"
                     .split())

# Log-likelihood lead (nats) another language needs over the target to claim a chunk shorter than
# min_words. Measured on py3langid 0.4 with the default candidates and English as the target: 26
# short English reasoning lines (1-6 words: "Let n = 7. Then n mod 3 = 1.", "Hello", "Wait") trail
# the winner by at most 6.6; 20 of 26 short French/German/Spanish/Italian/Portuguese/Dutch/Polish/
# Romanian lines lead English by 7-30 ("Je pense" 4.0 is among the other 6, which py3langid
# cannot tell from English on so few words: "Entonces x = 5" 0.04, "Dus x = 5" 0.2).
SHORT_MARGIN = 7.0

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A word: one Han/kana character, or a run of letters; an apostrophe or hyphen between letters joins
# ("don't", "l'homme", "state-of-the-art" are one word each, as a person counts them).
_WORD = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+(?:['\u2019-][^\W\d_{_CJK}]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?;:\n\u3002\uff01\uff1f\uff1b])")
_THINK = re.compile(r"<think>(.*?)(?:</think>|\Z)", re.S)
_TAG = re.compile(r"</?[A-Za-z][\w-]*>")

# Scripts by code point (first letter of a word decides).
_RANGES = [  # (upper bound exclusive, script)
    (0x250, "latin"), (0x370, "latin"), (0x400, "greek"), (0x530, "cyrillic"), (0x590, "armenian"),
    (0x600, "hebrew"), (0x780, "arabic"), (0x900, "other"), (0x980, "devanagari"), (0xE00, "other"),
    (0xE80, "thai"), (0x1100, "other"), (0x1200, "hangul"), (0x1E00, "other"), (0x1F00, "latin"),
    (0x2000, "greek"), (0x3040, "other"), (0x3100, "kana"), (0x3130, "other"), (0x3190, "hangul"),
    (0x3400, "other"), (0x4DC0, "han"), (0x4E00, "other"), (0xA000, "han"), (0xAC00, "other"),
    (0xD7B0, "hangul"), (0xF900, "other"), (0xFB00, "han"),
]
_BOUNDS = [b for b, _ in _RANGES]
_SCRIPTS_OF = {
    "zh": {"han"}, "yue": {"han"}, "wuu": {"han"}, "ja": {"han", "kana"}, "ko": {"hangul"},
    "ru": {"cyrillic"}, "uk": {"cyrillic"}, "bg": {"cyrillic"}, "be": {"cyrillic"}, "mk": {"cyrillic"},
    "sr": {"cyrillic", "latin"}, "kk": {"cyrillic"}, "ky": {"cyrillic"}, "mn": {"cyrillic"}, "tg": {"cyrillic"},
    "tt": {"cyrillic"}, "ba": {"cyrillic"}, "ar": {"arabic"}, "ary": {"arabic"}, "arz": {"arabic"},
    "fa": {"arabic"}, "ur": {"arabic"}, "ps": {"arabic"}, "ug": {"arabic"}, "sdh": {"arabic"},
    "he": {"hebrew"}, "hbo": {"hebrew"}, "hi": {"devanagari"}, "mr": {"devanagari"}, "ne": {"devanagari"},
    "sa": {"devanagari"}, "gom": {"devanagari"}, "th": {"thai"}, "el": {"greek"}, "grc": {"greek"},
    "hy": {"armenian"},
}


def scripts_of(lang: str) -> set[str]:
    """The scripts a language is written in (Latin unless listed)."""
    return _SCRIPTS_OF.get(lang, {"latin"})


@functools.lru_cache(maxsize=64)
def _script(ch: str) -> str:
    import bisect

    i = bisect.bisect_right(_BOUNDS, ord(ch))
    return _RANGES[i][1] if i < len(_RANGES) else "other"


def _telling(words: list[str]) -> int:
    """Words that carry language: not one-letter ASCII words (x, n, a, I: variables in reasoning)."""
    return sum(len(w) > 1 or not w.isascii() for w in words)


@functools.lru_cache(maxsize=8)
def _identifier(langs: tuple[str, ...]) -> Any:
    """py3langid restricted to `langs`, loaded once per process and language set."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    unknown = set(langs) - set(ident.labels)
    if unknown:
        raise ValueError(f"py3langid does not know {sorted(unknown)}")
    ident.set_languages(list(langs))
    return ident


def reasoning_text(text: str, mode: str) -> str:
    """The text whose words are counted; markup tags (`<answer>`) are not words."""
    if mode == "think" and "<think>" in text:
        text = "\n".join(m.group(1) for m in _THINK.finditer(text))
    return _TAG.sub(" ", text) if "<" in text else text


class LanguageShare:
    """Scores texts: the fraction of their words in `target` (see the module docstring)."""

    def __init__(self, target: str, candidates: Sequence[str], min_words: int) -> None:
        self.target = target
        self.candidates = tuple(sorted(set(candidates) | {target}))
        self.min_words = min_words
        self.target_scripts = scripts_of(target)
        # A target script no other candidate uses needs no language identification.
        self.ask = {s for s in self.target_scripts
                    if any(s in scripts_of(c) for c in self.candidates if c != target)}
        self.ident = _identifier(self.candidates) if self.ask else None

    def fraction(self, text: str) -> float | None:
        total = 0
        target_words = 0
        chunk: list[str] = []
        telling = 0  # telling words in `chunk`, kept as it grows (never recounted: x. y. z. ... stays linear)
        chunks: list[list[str]] = []
        latin_target = "latin" in self.target_scripts
        latin_ask = "latin" in self.ask
        for sentence in _SENTENCE_END.split(text):
            words = _WORD.findall(sentence)
            total += len(words)
            start = len(chunk)
            if sentence.isascii():  # every word is Latin: no per-word script lookup
                if latin_ask:
                    chunk.extend(words)
                elif latin_target:
                    target_words += len(words)
            else:
                for w in words:
                    s = _script(w[0])
                    if s not in self.target_scripts:
                        continue
                    if s in self.ask:
                        chunk.append(w)
                    else:
                        target_words += 1
            if len(chunk) > start:
                telling += _telling(chunk[start:])
            if telling >= self.min_words:
                chunks.append(chunk)
                chunk, telling = [], 0
        if chunk:
            if chunks and telling < self.min_words:
                chunks[-1].extend(chunk)
            else:
                chunks.append(chunk)
        if total == 0:
            return None
        for ch in chunks:
            if self._is_target(ch):
                target_words += len(ch)
        return target_words / total

    def _is_target(self, words: list[str]) -> bool:
        """py3langid's best guess on the chunk's telling words (one-letter ASCII words are variables: they
        count as words but say nothing of the language). A chunk with fewer than min_words telling words
        is the target's unless another language leads by more than SHORT_MARGIN on the whole chunk (a few
        words are close to a coin toss); one with none (x = y) is the target's."""
        telling = [w for w in words if len(w) > 1 or not w.isascii()]
        if not telling:
            return True
        sep = "" if _script(telling[0][0]) in ("han", "kana") else " "
        if len(telling) >= self.min_words:
            return self.ident.classify(sep.join(telling))[0] == self.target  # type: ignore[union-attr]
        ranked = self.ident.rank(sep.join(words))  # type: ignore[union-attr]
        best = ranked[0][1]
        return next(p for lang, p in ranked if lang == self.target) >= best - SHORT_MARGIN


@grader_kind
class LanguageConfig(LeafConfig):
    """Fraction in [0, 1] of the reasoning's words written in `language` (R1's language consistency).

    Args:
        language: the target language, an ISO 639-1 code such as en, zh, fr.
        reasoning: think (default: the <think> blocks if any, else the whole input) | all.
        languages: candidate languages for identification (default: 30 common ones; the target is added).
        min_words: the shortest chunk handed to language identification (default 10).
        max_chars: longer reasoning is an `input_too_long` row error (default 400,000).
    """

    type: Literal["language"]
    language: str = Field(..., description="Target language (ISO 639-1 code, e.g. en, zh).")
    reasoning: Literal["think", "all"] = Field(
        "think", description="think: the <think> blocks if present, else the whole input; all: the whole input.")
    languages: list[str] | None = Field(None, description="Candidate languages for identification (default: 30 common ones).")
    min_words: int = Field(10, ge=1, description="Shortest chunk of words handed to language identification.")
    max_chars: int = Field(
        400_000, ge=1, description="Longer reasoning is an `input_too_long` row error (identification runs "
        "about 1 s per MB; a 10 MB completion took 11 s).")

    requires_reference = False

    @field_validator("language")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in LANGID_LABELS:
            raise ValueError(f"unknown language {v!r}: use an ISO 639-1 code py3langid knows (en, zh, fr, de, ja, ...)")
        return v

    @model_validator(mode="after")
    def _candidates(self) -> LanguageConfig:
        unknown = sorted(set(self.languages or ()) - LANGID_LABELS)
        if unknown:
            raise ValueError(f"languages: unknown codes {unknown}")
        if self.reference is not None:
            raise ValueError("`language` takes no reference (the target is `language:`)")
        return self

    def make_scorer(self) -> LeafScorer:
        share = LanguageShare(self.language, self.languages or DEFAULT_LANGUAGES, self.min_words)
        mode, max_chars = self.reasoning, self.max_chars

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            out = np.zeros(len(inputs))
            na: set[int] = set()
            errors: dict[int, tuple[str, str]] = {}
            for i, text in enumerate(inputs):
                reasoning = reasoning_text(text, mode)
                if len(reasoning) > max_chars:  # a bound on the work one row can cause
                    errors[i] = ("input_too_long", f"{len(reasoning)} characters of reasoning; max_chars is {max_chars}")
                    continue
                f = share.fraction(reasoning)
                if f is None:
                    na.add(i)
                else:
                    out[i] = f
            return LeafBatch(out, errors=errors, not_applicable=na)

        return score
