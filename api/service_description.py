"""The SPARQL 1.1 Service Description of ``/sparql`` (sd: vocabulary), as Turtle text.

It states the endpoint, the languages (Update only in writable mode), the result formats, the
default dataset (the default graph is the union of the named graphs) and the named graphs,
and the limits (time limit, row cap, request size) as comments and ``void``-style numbers.
"""

from __future__ import annotations

from api.negotiation import GRAPHS, RESULTS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
# W3C format IRIs (https://www.w3.org/ns/formats/) for the formats we write
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
    "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads",
}


def _iri(value: str) -> str:
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def turtle(endpoint: str, settings, named_graphs: list[str]) -> str:
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if settings.writable else [])
    features = ["sd:UnionDefaultGraph"] + (["sd:BasicFederatedQuery"] if settings.allow_service else [])
    formats = [f"<{FORMATS}{FORMAT_IRIS[f.key]}>" for f in (*RESULTS, *GRAPHS)]
    limits = (f"Limits: each query or update is stopped after {settings.query_timeout:g} s "
              f"(503); results are cut after {settings.max_rows} rows (header X-KG-Truncated); "
              f"requests over {settings.max_request_bytes} bytes are refused (413); SERVICE is "
              + ("allowed." if settings.allow_service else "refused (400)."))
    lines = [
        f"@prefix sd: <{SD}> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        "[] a sd:Service ;",
        f"  sd:endpoint {_iri(endpoint)} ;",
        f"  sd:supportedLanguage {', '.join(languages)} ;",
        f"  sd:feature {', '.join(features)} ;",
        f"  sd:resultFormat {', '.join(formats)} ;",
        f"  rdfs:comment {_string(limits)} ;",
        "  sd:defaultDataset [",
        "    a sd:Dataset ;",
        "    sd:defaultGraph [ a sd:Graph ;",
        "      rdfs:comment \"The union of every named graph.\" ]",
    ]
    for g in named_graphs:
        lines[-1] += " ;"
        lines.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name {_iri(g)} ]")
    lines.append("  ] .")
    return "\n".join(lines) + "\n"
