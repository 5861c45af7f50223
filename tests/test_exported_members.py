import graders


def test_all_matches_lazy_table_and_resolves() -> None:
    assert sorted(graders.__all__) == sorted([*graders._LAZY, "__version__"])
    for name in graders.__all__:
        assert getattr(graders, name) is not None
