"""The ontology files of ``ontology/``: the ontology and kind schemes, and the SHACL shapes.

``*.ttl`` files whose name contains ``shapes`` are SHACL shapes (used to check the graph, not
published in it); every other ``*.ttl`` file (``bluehats.ttl``, ``kinds.ttl``…) goes into the
``graph/ontology`` named graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, SKOS

from kg.errors import UserError
from kg.namespaces import KIND
from kg.sources import display_name


class OntologyError(UserError):
    """An ontology file that cannot be read; the message names the file."""


@dataclass
class Ontology:
    graph: Graph  # ontology + kind schemes, blank nodes relabelled deterministically
    shapes: Graph
    files: list[Path] = field(default_factory=list)

    def concepts(self) -> set[str]:
        """IRIs of the kind concepts (``bhk:<scheme>/<local>``) the schemes define."""
        found = set()
        for s in self.graph.subjects(RDF.type, SKOS.Concept):
            if isinstance(s, URIRef) and str(s).startswith(KIND):
                found.add(str(s))
        for s in self.graph.subjects(SKOS.inScheme, None):
            if isinstance(s, URIRef) and str(s).startswith(KIND):
                found.add(str(s))
        return found


def _parse(path: Path, into: Graph) -> None:
    try:
        into.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(f"{display_name(path)}: not valid Turtle: {exc}") from exc


def ontology_files(ontology_dir: Path) -> tuple[list[Path], list[Path]]:
    """(ontology files, shapes files), sorted."""
    files = sorted(ontology_dir.glob("*.ttl")) if ontology_dir.is_dir() else []
    shapes = [p for p in files if "shapes" in p.name]
    return [p for p in files if p not in shapes], shapes


def load(ontology_dir: Path) -> Ontology:
    onto_files, shape_files = ontology_files(ontology_dir)
    graph = Graph()
    for path in onto_files:
        _parse(path, graph)
    shapes = Graph()
    for path in shape_files:
        _parse(path, shapes)
    # Blank nodes (OWL restrictions, lists) get names computed from their content, so
    # that two builds of the same ontology give the same dumps.
    return Ontology(to_canonical_graph(graph), shapes, onto_files + shape_files)
