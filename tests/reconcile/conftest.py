from tests.reconcile.published import (  # noqa: F401  (fixtures)
    fixture_settings,
    index,
    wikidata_endpoint,
)
