"""`regex`: every match of a config-supplied pattern is a candidate.

```yaml
extract: {type: regex, pattern: "ANSWER:\\s*(\\w+)", group: 1, ignore_case: true}
```

Options:

- `pattern` (required): compiled once at load time with the `regex` module
  (mostly `re`-compatible); a bad pattern is a config error naming it.
- `group`: an int or a group name; default 1 if the pattern has groups, else 0
  (the whole match). Checked against the pattern at load time. A match whose
  group did not take part gives nothing.
- `flags`: a string of letters `i m s x a` (`"is"`) or a list of names
  (`[IGNORECASE, DOTALL]`); `ignore_case: true` is a shortcut for `i`.
- `timeout`: seconds one text may take, default 0.5, at most 60. Patterns come
  from configs and texts from the policy, so a catastrophic pattern (`(a|aa)+$`)
  must not hang a training step: past the bound `ExtractionTimeout` is raised
  (never a silent "no answer"), so the engine records a per-row error.
"""

from __future__ import annotations

import regex

from ._core import Built, ExtractionTimeout, Kind, SpecError, clean, register

DEFAULT_TIMEOUT = 0.5
MAX_TIMEOUT = 60.0

_FLAG_LETTERS = {
    "i": regex.IGNORECASE,
    "m": regex.MULTILINE,
    "s": regex.DOTALL,
    "x": regex.VERBOSE,
    "a": regex.ASCII,
}
_FLAG_NAMES = {
    "IGNORECASE": "i",
    "MULTILINE": "m",
    "DOTALL": "s",
    "VERBOSE": "x",
    "ASCII": "a",
}


def _flag_letters(options) -> str:
    letters: set[str] = set()
    raw = options.get("flags", "")
    if isinstance(raw, str):
        items = list(raw) if raw.isalpha() and raw.islower() else [raw] if raw else []
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise SpecError(
            f"flags must be a string like 'is' or a list of flag names, got {raw!r}", ".flags"
        )
    for item in items:
        if not isinstance(item, str):
            raise SpecError(f"unknown regex flag {item!r}", ".flags")
        key = item.strip()
        if key.lower() in _FLAG_LETTERS and len(key) == 1:
            letters.add(key.lower())
        elif key.upper().removeprefix("RE.") in _FLAG_NAMES:
            letters.add(_FLAG_NAMES[key.upper().removeprefix("RE.")])
        else:
            valid = ", ".join([*_FLAG_LETTERS, *_FLAG_NAMES])
            raise SpecError(f"unknown regex flag {item!r}; valid: {valid}", ".flags")
    ignore_case = options.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise SpecError(f"ignore_case must be true or false, got {ignore_case!r}", ".ignore_case")
    if ignore_case:
        letters.add("i")
    return "".join(sorted(letters))


def _build(options) -> Built:
    pattern = options.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise SpecError(f"pattern must be a non-empty string, got {pattern!r}", ".pattern")
    letters = _flag_letters(options)
    flags = 0
    for letter in letters:
        flags |= _FLAG_LETTERS[letter]
    try:
        compiled = regex.compile(pattern, flags)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise SpecError(f"invalid regular expression {pattern!r}: {exc}", ".pattern") from None

    group = options.get("group", 1 if compiled.groups else 0)
    if isinstance(group, str) and group.isascii() and group.isdigit():
        group = int(group)  # `group: "1"`; group names cannot start with a digit
    if isinstance(group, bool) or not isinstance(group, int | str):
        raise SpecError(f"group must be a group number or name, got {group!r}", ".group")
    if isinstance(group, int):
        if not 0 <= group <= compiled.groups:
            raise SpecError(
                f"group {group} is out of range: pattern {pattern!r} has "
                f"{compiled.groups} group(s)",
                ".group",
            )
    elif group not in compiled.groupindex:
        names = ", ".join(sorted(compiled.groupindex)) or "none"
        raise SpecError(
            f"pattern {pattern!r} has no group named {group!r} (named groups: {names})", ".group"
        )

    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise SpecError(
            f"timeout must be a number of seconds in (0, {MAX_TIMEOUT:g}], got {timeout!r}",
            ".timeout",
        )
    timeout = float(timeout)

    finditer = compiled.finditer

    def regex_extract(text: str) -> tuple[str, ...]:
        out: list[str] = []
        try:
            for m in finditer(text, timeout=timeout):
                value = m.group(group)
                if value is not None:
                    value = clean(value)
                    if value is not None:
                        out.append(value)
        except TimeoutError:
            raise ExtractionTimeout(
                f"regex {pattern!r} took longer than {timeout:g}s on a text of {len(text)} characters",
                pattern=pattern,
                timeout=timeout,
            ) from None
        return tuple(out)

    normalized = (("pattern", pattern), ("group", group), ("flags", letters), ("timeout", timeout))
    return Built(regex_extract, normalized, f"regex {pattern!r} group {group!r}")


register(
    Kind(
        name="regex",
        build=_build,
        summary="every match of a pattern (group, flags, timeout)",
        options=("pattern", "group", "flags", "ignore_case", "timeout"),
        required=("pattern",),
        option_schema={
            "pattern": {"type": "string", "minLength": 1},
            "group": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]},
            "flags": {
                "anyOf": [
                    {"type": "string", "pattern": "^[imsxa]*$"},
                    {"type": "array", "items": {"type": "string"}},
                ]
            },
            "ignore_case": {"type": "boolean"},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_TIMEOUT},
        },
    )
)
