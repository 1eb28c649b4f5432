"""kg.imports: the import lists of data/imports/ (one shape for every importer), the build's
hook and the registration of a source by ``kg import``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import imports
from kg.config import Settings
from kg.sources import data_files


def settings_in(tmp: Path) -> Settings:
    (tmp / "data/imports").mkdir(parents=True)
    (tmp / "shared/corpora/pages").mkdir(parents=True)
    return Settings(data_dir=tmp / "data", shared_dir=tmp / "shared")


def test_import_lists_are_not_record_files(tmp_path):
    s = settings_in(tmp_path)
    (s.data_dir / "event.yaml").write_text("events: []\n")
    (s.data_dir / "imports/x.yaml").write_text("importer: bluehats-pages\n")
    assert data_files(s.data_dir) == [s.data_dir / "event.yaml"]
    assert imports.list_files(s) == [s.data_dir / "imports/x.yaml"]


def test_spec_resolves_sources_against_the_shared_folder(tmp_path):
    s = settings_in(tmp_path)
    f = s.data_dir / "imports/bluehats-pages.yaml"
    f.write_text("importer: bluehats-pages\nsources:\n  - path: corpora/pages\n"
                 "  - path: /elsewhere/pages\npages: {}\n")
    spec = imports.read_spec(f, s)
    assert spec.importer == "bluehats-pages"
    assert spec.sources == (s.shared_dir / "corpora/pages", Path("/elsewhere/pages"))
    assert "pages" in spec.data


@pytest.mark.parametrize("text, message", [
    ("importer: nobody\n", ":1:11: importer must be one of bluehats-pages"),
    ("importer: bluehats-pages\nsources:\n  - corpora/x\n", ":3:5: each source is a mapping"),
    ("- importer\n", ":1: an import list must be a mapping"),
    ("importer: [\n", "not valid YAML"),
])
def test_bad_import_lists_name_file_and_line(tmp_path, text, message):
    s = settings_in(tmp_path)
    f = s.data_dir / "imports/bad.yaml"
    f.write_text(text)
    with pytest.raises(imports.ImportListError) as err:
        imports.read_spec(f, s)
    assert "bad.yaml" in str(err.value) and message in str(err.value)


def test_register_creates_then_appends_once_keeping_comments(tmp_path):
    s = settings_in(tmp_path)
    folder = s.shared_dir / "corpora/pages"
    path, changed = imports.register("bluehats-pages", folder, s)
    assert changed and path == s.data_dir / "imports/bluehats-pages.yaml"
    assert imports.read_spec(path, s).sources == (folder,)
    path.write_text("# why\n" + path.read_text() + "pages:\n  a.md:\n    kind: meetup  # note\n")
    other = tmp_path / "other"
    other.mkdir()
    assert imports.register("bluehats-pages", other, s) == (path, True)
    assert imports.register("bluehats-pages", other, s) == (path, False)
    text = path.read_text()
    assert text.startswith("# why") and "kind: meetup  # note" in text
    assert imports.read_spec(path, s).sources == (folder, other.resolve())


def test_register_refuses_a_list_of_another_importer(tmp_path):
    s = settings_in(tmp_path)
    (s.data_dir / "imports/bluehats-pages.yaml").write_text("importer: publiccode\n")
    with pytest.raises(imports.ImportListError, match="expected 'bluehats-pages'"):
        imports.register("bluehats-pages", s.shared_dir, s)


def test_unknown_importer_module():
    with pytest.raises(imports.ImportListError, match="unknown importer 'nobody'"):
        imports.module("nobody")

