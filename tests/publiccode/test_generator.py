from kg.publiccode.generator import MISTAKES, generate, write_corpus
from kg.publiccode.importer import find
from kg.publiccode.validator import validate_bytes


def test_generated_files_have_the_expected_verdict():
    files = list(generate(400, seed=7, invalid_share=0.3))
    seen = set()
    for f in files:
        report = validate_bytes(f.content, f.name)
        assert report.ok is f.valid, (f.mistake, report.describe())
        seen.add(f.mistake)
    assert {m for m, _ in MISTAKES} <= seen  # every kind of mistake was drawn
    assert sum(not f.valid for f in files) > 60


def test_same_seed_same_corpus():
    a = [f.content for f in generate(20, seed=3)]
    b = [f.content for f in generate(20, seed=3)]
    c = [f.content for f in generate(20, seed=4)]
    assert a == b and a != c


def test_write_corpus_is_found_by_the_importer(tmp_path):
    invalid = write_corpus(tmp_path, 1000, seed=1, invalid_share=0.1)
    files = find([tmp_path])
    assert len(files) == 1000 and all(p.name == "publiccode.yml" for p in files)
    assert sum(not validate_bytes(p.read_bytes()).ok for p in files) == invalid
