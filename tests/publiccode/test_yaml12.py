import pytest

from kg.publiccode.yaml12 import Mapping, YamlSyntaxError, load, scalar_type


def scalars(text: str) -> dict[str, tuple[str, str]]:
    doc = load(text.encode())
    assert isinstance(doc, Mapping)
    return {k.text: (scalar_type(v), getattr(v, "text", None)) for k, v in doc.items}


@pytest.mark.parametrize(
    "value, kind, text",
    [
        ("yes", "str", "yes"),
        ("on", "str", "on"),
        ("true", "bool", "true"),
        ("False", "bool", "False"),
        ("0.2", "float", "0.2"),
        ("0.5.0", "str", "0.5.0"),
        ("2024-09-05", "str", "2024-09-05"),
        ("'0.2'", "str", "0.2"),
        ("!!str 0.2", "str", "0.2"),
        ("~", "null", "~"),
        ("", "null", ""),
        ("12", "int", "12"),
    ],
)
def test_yaml_1_2_core_schema_keeps_text(value, kind, text):
    assert scalars(f"a: {value}\n")["a"] == (kind, text)


def test_positions_are_one_based():
    doc = load(b"a: 1\nb:\n  c: x\n")
    (ka, va), (_kb, vb) = doc.items
    assert (ka.line, ka.column, va.line, va.column) == (1, 1, 1, 4)
    assert (vb.line, vb.column) == (3, 3)


def test_syntax_error_has_a_position():
    with pytest.raises(YamlSyntaxError) as e:
        load(b"a:\n  b: 1\n   c: 2\n")
    assert e.value.line == 3


def test_duplicate_key_is_an_error():
    with pytest.raises(YamlSyntaxError, match='"a" already defined at line 1') as e:
        load(b"a: 1\na: 2\n")
    assert (e.value.line, e.value.column) == (2, 1)


def test_several_documents_are_refused():
    with pytest.raises(YamlSyntaxError, match="multiple"):
        load(b"a: 1\n---\nb: 2\n")


def test_empty_document():
    assert load(b"# nothing\n") is None
