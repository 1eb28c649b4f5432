"""The ``kg`` command end to end: as a person runs it (``python -m kg`` in a subprocess) for
the main paths, and through ``kg.cli.main`` in this process for the many small cases."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace

import pytest

from kg.config import ROOT
from tests.builds import FIXTURES, MINI, mini_settings, settings_env


def kg(settings, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=ROOT,
        env=settings_env(settings),
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def kg_here(settings, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``kg ARGS`` run by ``kg.cli.main`` in this process, with the settings' environment."""
    from kg.cli import main

    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    env = {k: v for k, v in settings_env(settings).items() if k.startswith("KG_")}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        mp.setattr(sys, "stdin", io.StringIO(stdin or ""))
        with redirect_stdout(stdout), redirect_stderr(err):
            code = main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue().decode("utf-8"), err.getvalue())


@pytest.fixture(scope="module")
def cli_built(tmp_path_factory):
    settings = mini_settings(tmp_path_factory.mktemp("cli-var"))
    done = kg(settings, "build")
    assert done.returncode == 0, done.stderr
    return settings, done


def test_build_prints_what_it_published(cli_built):
    settings, done = cli_built
    assert done.stdout.startswith("Built ")
    assert "conforms" in done.stdout
    assert (settings.var_dir / "current" / "store").is_dir()
    manifest = json.loads((settings.var_dir / "current" / "manifest.json").read_text())
    assert f"Built {manifest['triples']} triples" in done.stdout


def test_query_json_is_sparql_results_json(cli_built):
    settings, _ = cli_built
    done = kg(
        settings,
        "query",
        "--format",
        "json",
        "SELECT ?p ?name WHERE { ?p a bh:SoftwareProject ; schema:name ?name } ORDER BY ?name",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["head"]["vars"] == ["p", "name"]
    names = [b["name"]["value"] for b in result["results"]["bindings"]]
    assert names == ["Onyxia", "Python"]
    assert result["results"]["bindings"][0]["name"]["xml:lang"] == "fr"


def test_query_csv_and_tsv(cli_built):
    settings, _ = cli_built
    query = "SELECT ?x WHERE { ?x wdt:P277 wd:Q28865 }"
    done = kg_here(settings, "query", "-f", "csv", query)
    assert done.returncode == 0, done.stderr
    assert list(csv.reader(io.StringIO(done.stdout))) == [
        ["x"],
        [settings.base_iri + "project/onyxia"],
    ]
    done = kg_here(settings, "query", "-f", "tsv", query)
    assert done.stdout.splitlines() == ["?x", f"<{settings.base_iri}project/onyxia>"]


def test_query_from_a_file_and_from_stdin(cli_built, tmp_path):
    settings, _ = cli_built
    file = tmp_path / "q.rq"
    file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a bh:Person }")
    from_file = kg_here(settings, "query", "-f", "csv", str(file))
    from_stdin = kg_here(settings, "query", "-f", "csv", "-", stdin=file.read_text())
    assert from_file.stdout.splitlines() == from_stdin.stdout.splitlines() == ["n", "1"]


def test_query_table(cli_built):
    settings, _ = cli_built
    done = kg_here(settings, "query", "SELECT ?s WHERE { ?s a schema:Person }")
    assert done.stdout.splitlines() == ["s", "-" * len("person:alice"), "person:alice", "(1 row)"]


def test_syntax_error_prints_the_parser_message_and_fails(cli_built):
    settings, _ = cli_built
    done = kg(settings, "query", "SELECT * WHERE { ?s ?p }")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "error at 1:" in done.stderr
    assert "Traceback" not in done.stderr


def test_named_query_with_a_parameter(cli_built):
    settings, _ = cli_built
    done = kg_here(
        settings,
        "query",
        "--name",
        "projects-in",
        "--param",
        "language=project:python",
        "-f",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    row = f"{settings.base_iri}project/onyxia,Onyxia,{settings.base_iri}project/python"
    assert done.stdout.splitlines() == ["project,name,language", row]
    bad = kg_here(settings, "query", "--name", "projects-in", "--param", "language=not an iri")
    assert bad.returncode == 2
    assert "parameter 'language'" in bad.stderr and "Traceback" not in bad.stderr
    missing = kg_here(settings, "query", "--name", "nope")
    assert missing.returncode == 1 and "no named query 'nope'" in missing.stderr


def test_list_named_queries(cli_built):
    settings, _ = cli_built
    done = kg_here(settings, "query", "--list")
    assert "projects-in: Projects written in a language [language=iri]" in done.stdout


def test_validate_exits_0_when_the_graph_conforms(cli_built):
    settings, _ = cli_built
    for run, args in ((kg, ()), (kg_here, ("--published",))):
        done = run(settings, "validate", *args)
        assert done.returncode == 0, done.stderr
        assert "The graph conforms" in done.stdout


def test_validate_published_checks_the_built_graph_against_the_shapes(cli_built, tmp_path):
    settings, _ = cli_built
    onto = tmp_path / "ontology"
    shutil.copytree(MINI / "ontology", onto)
    with (onto / "shapes.ttl").open("a") as f:
        f.write(
            "bh:AddressShape a sh:NodeShape ; sh:targetClass bh:Place ;\n"
            "  sh:property [ sh:path bh:address ; sh:maxLength 5 ] .\n"
        )
    done = kg_here(replace(settings, ontology_dir=onto), "validate", "--published")
    assert done.returncode == 1
    assert "Violation: place:ltp bh:address" in done.stdout
    assert "does not conform: 1 violation" in done.stdout


def test_validate_and_build_report_bad_data_without_traceback(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    shutil.copy(FIXTURES / "errors" / "bad_datetime.yaml", data)
    settings = mini_settings(tmp_path / "var", data_dir=data)
    for command in ("validate", "build"):
        done = kg_here(settings, command)
        assert done.returncode == 1
        assert "bad_datetime.yaml:8:12: session 'atelier-kubernetes', key 'start'" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "current").exists()


def test_query_before_any_build_says_what_to_do(tmp_path):
    done = kg_here(mini_settings(tmp_path / "var"), "query", "ASK {}")
    assert done.returncode == 1
    assert "run `kg build` first" in done.stderr


def test_construct_gives_turtle_in_a_table_and_json_ld_in_json(cli_built):
    settings, _ = cli_built
    query = "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a bh:Person ; bh:name ?n }"
    turtle = kg_here(settings, "query", query)
    assert turtle.returncode == 0, turtle.stderr
    assert 'person:alice schema:name "Alice" .' in turtle.stdout
    doc = json.loads(kg_here(settings, "query", "-f", "json", query).stdout)
    assert doc[0]["https://schema.org/name"] == [{"@value": "Alice"}]


def test_bad_ontology_is_reported_with_its_file(tmp_path):
    onto = tmp_path / "ontology"
    shutil.copytree(MINI / "ontology", onto)
    (onto / "kinds.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<a> skos:prefLabel "unterminated .\n'
    )
    done = kg_here(mini_settings(tmp_path / "var", ontology_dir=onto), "build")
    assert done.returncode == 1
    assert "kinds.ttl: not valid Turtle" in done.stderr and "Traceback" not in done.stderr


def test_builds_in_two_processes_give_identical_dumps(cli_built, tmp_path):
    """Python randomises string hashing per process: nothing may depend on set order."""
    settings, _ = cli_built
    other = replace(settings, var_dir=tmp_path / "var")
    env = {**settings_env(other), "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = settings.var_dir / "current", other.var_dir / "current"
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig"):
        assert (first / "dumps" / name).read_bytes() == (second / "dumps" / name).read_bytes()


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_subcommand_is_documented_in_the_readme():
    from kg.cli import COMMANDS

    for command in COMMANDS:
        assert f"| `kg {command.name}" in README, f"kg {command.name} is not in README.md"


def test_the_readme_quick_start_runs_a_named_query_that_exists():
    from kg.queries import registry

    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    name = quick.split("kg query --name", 1)[1].split()[0]
    assert name in registry(ROOT / "queries")


def test_a_broken_named_query_stops_query_and_build_with_its_file(cli_built, tmp_path):
    settings, _ = cli_built
    shutil.copy(MINI / "queries" / "projects-in.rq", tmp_path)
    (tmp_path / "unselected.rq").write_text(
        "# title: Unselected\n# param: day date - a day\nSELECT ?s WHERE { ?s ?p ?day }\n",
        encoding="utf-8")
    broken = replace(settings, queries_dir=tmp_path)
    for args in (("query", "--name", "projects-in"), ("query", "--list"), ("build", "-q")):
        done = kg_here(broken, *args)
        assert done.returncode == 1, args
        assert "unselected.rq: parameter 'day'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["--help"], ["query", "--help"], ["validate", "--help"]])
def test_help_loads_neither_the_importers_nor_the_server_nor_rdflib(args):
    """Start-up cost is measured, not asserted (``python -X importtime -m kg --help``): this
    only checks that a command's help imports no other command's modules."""
    probe = ("import sys\nfrom kg.cli import main\ntry:\n    main(sys.argv[1:])\n"
             "except SystemExit:\n    pass\n"
             "print(' '.join(sorted(m for m in ('rdflib', 'fastapi', 'pyoxigraph', 'kg.imports',"
             " 'kg.publiccode', 'kg.reconcile', 'api') if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert "usage: kg" in done.stdout
    assert done.stdout.splitlines()[-1] == ""
