"""A number followed by words of other alphabets is the number, unless a word negates,
hedges or scales (issue 8, final pass). Sources: lighteval's multilingual extraction cases
("Réponse: ... 220 $ ..."), ours for the negatives."""

from __future__ import annotations

import pytest

from graders.mathparse import Options
from graders.mathparse.check import decide

CASES = [
    ("42 рубля", "42", True, "ours: Russian answer with a currency word"),
    ("42 рубля.", "42", True, "ours"),
    ("12 pommes à Marie", "12", True, "ours: French, accented word"),
    ("12 élèves", "12", True, "ours"),
    ("43 рубля", "42", False, "ours: another number"),
    ("42 тысячи рублей", "42", False, "ours: a scale word"),
    ("3 millions d'habitants", "3", False, "ours: a scale word"),
    ("42 или 43 рубля", "42", False, "ours: a hedge"),
    ("около 42 рублей", "42", False, "ours: approximately"),
    ("5 pas à faire", "5", False, "ours: a negation word is never dropped"),
    ("42 α", "42", False, "ours: Greek is math"),
]


@pytest.mark.parametrize(("answer", "ref", "equal", "source"), CASES, ids=[c[0] for c in CASES])
def test_number_then_words_of_other_alphabets(answer: str, ref: str, equal: bool, source: str) -> None:
    assert decide(answer, ref, Options(), use_sympy=True).equal is equal, source
