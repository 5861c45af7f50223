"""Physical units after an answer's value, and their conversion.

`parse_unit("km/h")` -> `Unit(key="km/h", dims=(1, 0, -1), factor=5/18)`: the
unit's dimension as exponents of (length, mass, time) and its size in SI
base units (metre, kilogram, second), exactly (`Fraction`), or None when
any part is not in the table. The table is small on purpose: length (mm cm m
km in ft yd mi), mass (mg g kg lb oz), time (s min h day week), volume (mL L
gal, and any length cubed), speed (any length over any time, mph, kph), area
(any length squared, `square`/`sq`/`cubic` prefixes).

Left out on purpose, so that nothing converts by a guess: months and years
(their length varies), `pound` and `pounds` (money or mass), currencies, and
counting nouns (`apples`, `people`, `ways`): those stay decorations that the
lexer drops (graders.mathparse.lexer). Degrees are an angle, not a unit here
(`30^\\circ` is read by the parser and equals `\\frac{\\pi}{6}`).

How the math kind uses it (graders.mathparse.compare): two values with units
compare after conversion when the dimensions agree (`1200 cm` = `12 m`,
`18 km/h` = `5 m/s`) and never when they differ (`5 kg` vs `5 m`); a value
with a unit against a bare value compares the numbers as written (`5 m/s` vs
5), since a dataset's bare reference is in the unit the question asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

Dims = tuple[int, int, int]
_L, _M, _T = (1, 0, 0), (0, 1, 0), (0, 0, 1)
_MILE = Fraction(1609344, 1000)
_GALLON = Fraction(3785411784, 10**12)

_TABLE: dict[str, tuple[str, Dims, Fraction]] = {}


def _add(key: str, dims: Dims, factor: Fraction | int, *spellings: str) -> None:
    for s in (key, *spellings):
        _TABLE[s] = (key, dims, Fraction(factor))


_add("mm", _L, Fraction(1, 1000), "millimeter", "millimeters", "millimetre", "millimetres")
_add("cm", _L, Fraction(1, 100), "centimeter", "centimeters", "centimetre", "centimetres")
_add("m", _L, 1, "meter", "meters", "metre", "metres")
_add("km", _L, 1000, "kilometer", "kilometers", "kilometre", "kilometres")
_add("in", _L, Fraction(254, 10000), "inch", "inches")
_add("ft", _L, Fraction(3048, 10000), "foot", "feet")
_add("yd", _L, Fraction(9144, 10000), "yard", "yards", "yds")
_add("mi", _L, _MILE, "mile", "miles")
_add("mg", _M, Fraction(1, 10**6), "milligram", "milligrams")
_add("g", _M, Fraction(1, 1000), "gram", "grams", "gm")
_add("kg", _M, 1, "kilogram", "kilograms", "kgs")
_add("lb", _M, Fraction(45359237, 10**8), "lbs")
_add("oz", _M, Fraction(45359237, 16 * 10**8), "ounce", "ounces")
_add("s", _T, 1, "sec", "secs", "second", "seconds")
_add("min", _T, 60, "mins", "minute", "minutes")
_add("h", _T, 3600, "hr", "hrs", "hour", "hours")
_add("day", _T, 86400, "days")
_add("week", _T, 604800, "weeks", "wk", "wks")
_add("L", (3, 0, 0), Fraction(1, 1000), "l", "liter", "liters", "litre", "litres")
_add("mL", (3, 0, 0), Fraction(1, 10**6), "ml", "milliliter", "milliliters", "millilitre", "millilitres", "cc")
_add("gal", (3, 0, 0), _GALLON, "gallon", "gallons")
_add("mph", (1, 0, -1), _MILE / 3600)
_add("kph", (1, 0, -1), Fraction(1000, 3600), "kmh")

@dataclass(frozen=True, slots=True)
class Unit:
    key: str
    dims: Dims
    factor: Fraction


_POWER_RE = re.compile(r"\s*(?:\^\s*(?:\{\s*(-?\d)\s*\}|(-?\d))|([²³]))")
_PREFIX = {"square": 2, "sq": 2, "sq.": 2, "cubic": 3, "cu": 3}
_PART_RE = re.compile(r"[A-Za-z]+\.?|\^\s*\{\s*-?\d\s*\}|\^\s*-?\d|[²³]|/|\*|·|\s+")


def _term(tokens: list[str]) -> tuple[list[str], Dims, Fraction] | None:
    """`square meters`, `m^2`, `kg m` (a product of names, each with a power)."""
    keys: list[str] = []
    dims = [0, 0, 0]
    factor = Fraction(1)
    i = 0
    n = len(tokens)
    if n == 0:
        return None
    while i < n:
        t = tokens[i]
        prefix = 1
        if t.lower() in _PREFIX and i + 1 < n:
            prefix = _PREFIX[t.lower()]
            i += 1
            t = tokens[i]
        entry = _TABLE.get(t) or (_TABLE.get(t.lower()) if len(t) > 2 else None)
        if entry is None:
            return None
        key, d, f = entry
        power = prefix
        i += 1
        if i < n and (tokens[i].startswith("^") or tokens[i] in "²³"):
            m = _POWER_RE.fullmatch(tokens[i])
            if m is None:
                return None
            p = int(m.group(1) or m.group(2) or ("2" if m.group(3) == "²" else "3"))
            if prefix != 1 or p == 0:
                return None
            power = p
            i += 1
        keys.append(key if power == 1 else f"{key}^{power}")
        for k in range(3):
            dims[k] += d[k] * power
        factor *= f**power
        if i < n and tokens[i] in ("*", "·"):
            i += 1
    return keys, (dims[0], dims[1], dims[2]), factor


def parse_unit(text: str) -> Unit | None:
    """A unit written after a value: `cm`, `m/s`, `km/h`, `m^2`, `square feet`,
    `meters per second`, `kg*m/s^2`; None when any part is unknown."""
    t = text.strip()
    if not t or len(t) > 60:
        return None
    t = re.sub(r"\s+per\s+", "/", t)
    tokens = [x for x in _PART_RE.findall(t) if not x.isspace()]
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", t):
        return None  # something the tokens do not cover
    if tokens.count("/") > 1:
        return None
    if "/" in tokens:
        j = tokens.index("/")
        num, den = _term(tokens[:j]), _term(tokens[j + 1 :])
        if num is None or den is None:
            return None
        dims = tuple(a - b for a, b in zip(num[1], den[1], strict=True))
        return Unit("*".join(num[0]) + "/" + "*".join(den[0]), dims, num[2] / den[2])  # type: ignore[arg-type]
    got = _term(tokens)
    if got is None:
        return None
    keys, dims, factor = got
    return Unit("*".join(keys), dims, factor)


def is_bare_ok(text: str) -> bool:
    """Whether a unit written without `\\text{}` is unambiguous: a compound with `/`, or a
    name of two letters or more (not `in`, which reads as membership)."""
    t = text.strip()
    if "/" in t or " per " in t:
        return True
    words = re.findall(r"[A-Za-z]+", t)
    return bool(words) and all(len(w) >= 2 for w in words) and "in" not in words
