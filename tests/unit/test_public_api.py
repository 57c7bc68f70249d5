import mlpivot


def test_public_api_is_exactly_what_exists() -> None:
    assert sorted(mlpivot.__all__) == sorted(
        [
            "__version__",
            "classify_posting",
            "extract_skills",
            "grade_answer",
            "load_catalog",
            "rank_roles",
        ]
    )
    for name in mlpivot.__all__:
        assert hasattr(mlpivot, name), name


def test_every_error_derives_from_one_base() -> None:
    from mlpivot import errors

    classes = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert all(issubclass(c, errors.MlpivotError) for c in classes)
