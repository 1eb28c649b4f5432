from tests.reconcile.published import fixture_settings, index  # noqa: F401  (fixtures)
