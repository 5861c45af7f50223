"""`{{ item.<name> }}` alone renders through a fast path (a str read straight from a dict item);
it must give exactly what the general lookup gives, or raise the same error."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.templates import Template, TemplateMissing

values = st.one_of(
    st.text(max_size=8), st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(-5, 5).map(np.int64), st.text(max_size=4).map(np.str_),
)
names = st.sampled_from(["answer", "ground_truth", "x"])
items = st.one_of(
    st.dictionaries(names, values, max_size=3),
    st.dictionaries(names, values, max_size=3).map(OrderedDict),  # a dict subclass: general path
    st.lists(values, max_size=2),
    st.none(),
)


def outcome(tpl: Template, item):
    try:
        return "ok", tpl.render({"output_text": "t"}, item)
    except TemplateMissing as exc:
        return "missing", str(exc)
    except TypeError as exc:
        return "type", str(exc)


@settings(max_examples=500, deadline=None)
@given(names, items, st.booleans(), st.sampled_from(["{{ item.%s }}", "A: {{ item.%s }}", "{{ sample.output_text }}"]))
def test_fast_path_renders_as_the_lookup(name: str, item, null_missing: bool, shape: str) -> None:
    source = shape % name if "%s" in shape else shape
    fast = dataclasses.replace(Template.parse(source), null_missing=null_missing)
    general = dataclasses.replace(Template.parse(source), null_missing=null_missing)
    object.__setattr__(general, "_item_key", None)  # the lookup, as before the fast path
    assert (fast._item_key is not None) == (shape == "{{ item.%s }}")
    assert outcome(fast, item) == outcome(general, item)
    assert fast == general  # the fast path's field is no part of a template's identity


def test_a_null_reference_is_still_missing() -> None:
    tpl = dataclasses.replace(Template.parse("{{ item.answer }}"), null_missing=True)
    assert tpl.render({}, {"answer": "12"}) == "12"
    try:
        tpl.render({}, {"answer": None})
    except TemplateMissing as exc:
        assert "item.answer is null" in str(exc)
    else:
        raise AssertionError("a null reference rendered")
