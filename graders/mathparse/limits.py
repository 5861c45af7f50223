"""Size limits applied before anything is evaluated, and the errors they raise."""

from __future__ import annotations

from dataclasses import dataclass


class ParseError(Exception):
    """The text is not a supported math answer (internal; surfaces as ParseFailure)."""

    kind = "parse_error"


class TooLarge(ParseError):
    """The text or a value in it is over a size limit (internal; surfaces as ParseFailure)."""

    kind = "too_large"


@dataclass(frozen=True)
class Limits:
    max_length: int = 16_384
    """Longest answer or reference text (characters) that is parsed at all."""
    max_depth: int = 100
    """Deepest nesting of brackets / operators."""
    max_tokens: int = 2000
    max_bits: int = 65_536
    """Largest exact value (bits of numerator + denominator, ~19,700 digits)."""
    max_terms: int = 512
    max_factorial: int = 5000
    max_root: int = 64
    max_digits: int = 10_000
    """Longest digit run in a literal (CPython refuses int() over 4,300 digits)."""
    max_items: int = 64
    """Most elements in a set, list, tuple or matrix."""


LIMITS = Limits()
