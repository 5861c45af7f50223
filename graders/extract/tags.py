"""Tag-delimited regions: `xml_tag` and `strip_think`.

`xml_tag` (`{type: xml_tag, tag: answer}`; the bare name means tag `answer`):
the contents of every `<tag>...</tag>`, one candidate each, stripped. The tag
name matches case-insensitively and the opening tag may carry attributes. A
`<tag>` that is never closed (a truncated completion) gives nothing. When opening
tags repeat before a close (`<answer>a <answer>b</answer>`), the content starts
at the last opening tag (`b`).

`strip_think` (`{type: strip_think, tag: think}`): the text after the LAST
`</think>`, as one candidate; the tag matches in any case (`</THINK>`), so
reasoning in an upper-case block is never read as the answer. Decisions:

- no `</think>` and no `<think>`: the whole text (the model did not think aloud);
- a `<think>` that is never closed (truncated while reasoning), or a `<think>`
  re-opened after the last `</think>`: the answer region is empty -> no answer.
  Reasoning must never be graded as if it were the answer.

Chat templates that put `<think>` in the prompt leave only `</think>` in the
completion; that is handled by the first rule (text after the last close).
"""

from __future__ import annotations

import re

from ._core import Built, Kind, SpecError, clean, register

_TAG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:\-]*")


def _tag_option(options, default: str) -> str:
    tag = options.get("tag", default)
    if not isinstance(tag, str) or not _TAG_NAME.fullmatch(tag):
        raise SpecError(f"tag must be a tag name such as 'answer', got {tag!r}", ".tag")
    return tag


def make_tag_spans(tag: str):
    """A function giving (content start, content end, content) for every closed
    `<tag>...</tag>` of a text, in order (the rules of `xml_tag`)."""
    token = re.compile(rf"<(/?){re.escape(tag)}(?:\s[^<>]*)?>", re.IGNORECASE)

    def tag_spans(text: str) -> list[tuple[int, int, str]]:
        if "<" not in text:
            return []
        out: list[tuple[int, int, str]] = []
        content_start = -1
        for m in token.finditer(text):
            if m.group(1):  # closing tag
                if content_start >= 0:
                    value = clean(text[content_start : m.start()])
                    if value is not None:
                        out.append((content_start, m.start(), value))
                    content_start = -1
            elif not m.group().endswith("/>"):  # an opening tag (self-closing ones ignored)
                content_start = m.end()
        return out

    return tag_spans


def make_xml_tag(tag: str):
    spans = make_tag_spans(tag)

    def xml_tag(text: str) -> tuple[str, ...]:
        return tuple([span[2] for span in spans(text)])  # a list first: no generator per text

    return xml_tag


def _build_xml_tag(options) -> Built:
    tag = _tag_option(options, "answer")
    return Built(make_xml_tag(tag), (("tag", tag),), f"xml_tag <{tag}>")


def make_strip_think(tag: str):
    open_tag = f"<{tag}>"
    close_tag = f"</{tag}>"
    # The tag in another case (`</THINK>`, `</Think>`): looked for only when the usual
    # spelling is absent, so the common text pays one rfind.
    any_close = re.compile(re.escape(close_tag), re.IGNORECASE)
    any_open = re.compile(re.escape(open_tag), re.IGNORECASE)

    def strip_think(text: str) -> tuple[str, ...]:
        close = text.rfind(close_tag)
        if close >= 0:
            rest = text[close + len(close_tag) :]
        elif "</" in text and (last := _last_match(any_close, text)) is not None:
            rest = text[last.end() :]
        else:
            rest = text
        if open_tag in rest or ("<" in rest and any_open.search(rest) is not None):
            return ()
        value = clean(rest)
        return (value,) if value is not None else ()

    return strip_think


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007 - the loop keeps the last one
        pass
    return last


def _build_strip_think(options) -> Built:
    tag = _tag_option(options, "think")
    return Built(make_strip_think(tag), (("tag", tag),), f"strip_think </{tag}>")


_TAG_SCHEMA = {"tag": {"type": "string", "pattern": _TAG_NAME.pattern}}

register(
    Kind(
        name="xml_tag",
        build=_build_xml_tag,
        summary="contents of every <tag>...</tag> (default tag: answer)",
        options=("tag",),
        option_schema=_TAG_SCHEMA,
    )
)
register(
    Kind(
        name="strip_think",
        build=_build_strip_think,
        summary="the text after the last </think> (none if a <think> is left open)",
        options=("tag",),
        option_schema=_TAG_SCHEMA,
    )
)
