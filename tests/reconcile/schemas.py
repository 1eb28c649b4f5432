"""Draft 7 validators for the Reconciliation Service API 0.2 JSON Schemas, read from
``shared/corpora/reconciliation-api/0.2/schemas`` with every schema registered under its ``$id``
(so that ``{"$ref": "type.json"}`` resolves as the specification means)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from kg.config import Settings


def corpus_dir() -> Path:
    path = Settings().shared_dir / "corpora" / "reconciliation-api" / "0.2"
    if not path.is_dir():
        raise RuntimeError(f"missing the reconciliation-api corpus at {path} (set KG_SHARED_DIR)")
    return path


@functools.cache
def _schemas() -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((corpus_dir() / "schemas").glob("*.json"))
    }


@functools.cache
def registry() -> Registry:
    # openapi.json (Swagger 2.0's schema, which the manifest's `authentication` refers to) has
    # the $id "http://swagger.io/v2/schema.json#": registered without the empty fragment
    resources = [(s["$id"].rstrip("#"), DRAFT7.create_resource(s)) for s in _schemas().values()]
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str) -> Draft7Validator:
    """``name`` is the schema's file stem, e.g. ``reconciliation-result-batch``."""
    schema = _schemas()[name]
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, registry=registry())


def errors(name: str, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(name).iter_errors(document)]


def assert_valid(name: str, document) -> None:
    problems = errors(name, document)
    assert not problems, f"not a valid {name}:\n" + "\n".join(problems)


# example folder -> schema it illustrates
EXAMPLES = {
    "manifest": "manifest",
    "reconciliation-query-batch": "reconciliation-query-batch",
    "reconciliation-result-batch": "reconciliation-result-batch",
    "suggest-entities-response": "suggest-entities-response",
    "suggest-properties-response": "suggest-properties-response",
    "suggest-types-response": "suggest-types-response",
    "data-extension-query": "data-extension-query",
    "data-extension-response": "data-extension-response",
    "data-extension-property-proposal": "data-extension-property-proposal",
}


def examples():
    """(schema name, example path, valid?) for the corpus's own examples."""
    out = []
    for folder, schema in EXAMPLES.items():
        for verdict in ("valid", "invalid"):
            for p in sorted((corpus_dir() / "examples" / folder / verdict).glob("*.json")):
                out.append((schema, p, verdict == "valid"))
    return out
