"""Read a publiccode.yml as a YAML 1.2 node tree that keeps every value's text and position.

The reference validator reads YAML 1.2: ``yes``/``no``/``on``/``off`` are strings (so a boolean
key given ``yes`` has the wrong type), and an unquoted ``0.2`` or ``2024-09-05`` is a scalar
whose text is kept as written. We only *compose* (no construction, so no type is guessed for
us) and resolve plain scalars with the YAML 1.2 core schema ourselves. Composing is done by
libyaml when PyYAML has it (about twenty times faster, and the node tree is the same for what
both read); a text libyaml refuses is composed again by ruamel.yaml in YAML 1.2 mode, whose
verdict and message stand.

>>> doc = load(b"a: yes\\nb: 0.2\\n")
>>> [(k.text, scalar_type(v), v.text) for k, v in doc.items]
[('a', 'str', 'yes'), ('b', 'float', '0.2')]
"""

from __future__ import annotations

import io
import warnings
import re
from dataclasses import dataclass, field

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None

_SCALARS = (ScalarNode, pyyaml.ScalarNode)
_SEQUENCES = (SequenceNode, pyyaml.SequenceNode)
_MAPPINGS = (MappingNode, pyyaml.MappingNode)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$"
)
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(eq=False)
class Node:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(eq=False)
class Scalar(Node):
    text: str
    plain: bool  # unquoted, not a block scalar
    tagged_str: bool = False  # an explicit !!str


@dataclass(eq=False)
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    flow: bool = False

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        for k, _ in self.items:
            if k.text == key:
                return k
        return None


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
    flow: bool = False


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def scalar_type(node: Node) -> str:
    """``null``, ``bool``, ``int``, ``float`` or ``str`` (YAML 1.2 core schema); ``map``/``seq``."""
    if isinstance(node, Mapping):
        return "map"
    if isinstance(node, Sequence):
        return "seq"
    assert isinstance(node, Scalar)
    if not node.plain or node.tagged_str:
        return "str"
    t = node.text
    if _NULL.match(t):
        return "null"
    if _BOOL.match(t):
        return "bool"
    if _INT.match(t):
        return "int"
    if _FLOAT.match(t):
        return "float"
    return "str"


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, Scalar) and scalar_type(node) == "null")


def load(data: bytes) -> Mapping | Sequence | Scalar | None:
    """Compose ``data`` (UTF-8) into a node tree; None for an empty document.

    Raises UnicodeDecodeError for bytes that are not UTF-8 and YamlSyntaxError (with line and
    column) for text that is not YAML, holds several documents or repeats a key.
    """
    try:
        return _load(data)
    except RecursionError:  # the pure-Python parser recurses once per level of nesting
        raise YamlSyntaxError("the document is nested too deeply to be read") from None


def _load(data: bytes) -> Mapping | Sequence | Scalar | None:
    text = data.decode("utf-8")
    text = text.removeprefix("\ufeff")
    if _FastLoader is not None:
        try:
            docs = list(pyyaml.compose_all(text, Loader=_FastLoader))
        except pyyaml.YAMLError:
            pass  # let ruamel.yaml (YAML 1.2) decide, and word the error
        else:
            return _root(docs)
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    try:
        with warnings.catch_warnings():
            # YAML 1.2 lets an anchor be defined again (an alias names the latest): ruamel warns
            # on stderr, the reading is the standard's
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            docs = list(yaml.compose_all(io.StringIO(text)))
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = " ".join(p for p in (e.context, e.problem) if p) or str(e)
        if mark is None:
            raise YamlSyntaxError(message) from None
        raise YamlSyntaxError(message, mark.line + 1, mark.column + 1) from None
    except YAMLError as e:
        raise YamlSyntaxError(str(e)) from None
    return _root(docs)


def _root(docs: list) -> Node | None:
    if len(docs) > 1:
        raise YamlSyntaxError("multiple YAML documents in one file are not supported")
    if not docs or docs[0] is None:
        return None
    return _convert(docs[0], {})


def _convert(node, seen: dict[int, Node]) -> Node:
    # Aliases compose to the same node: convert it once.
    if id(node) in seen:
        return seen[id(node)]
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, _SCALARS):
        out: Node = Scalar(
            line, col, node.value, plain=not node.style, tagged_str=_explicit_str(node)
        )
    elif isinstance(node, _SEQUENCES):
        out = Sequence(line, col, flow=bool(node.flow_style))
        seen[id(node)] = out
        out.items = [_convert(v, seen) for v in node.value]
    elif isinstance(node, _MAPPINGS):
        out = Mapping(line, col, flow=bool(node.flow_style))
        seen[id(node)] = out
        names: dict[str, Scalar] = {}
        for k, v in node.value:
            key = _convert(k, seen)
            if not isinstance(key, Scalar):
                raise YamlSyntaxError("a mapping key must be a plain value", key.line, key.column)
            if key.text in names:
                first = names[key.text]
                raise YamlSyntaxError(
                    f'mapping key "{key.text}" already defined at line {first.line}',
                    key.line,
                    key.column,
                )
            names[key.text] = key
            out.items.append((key, _convert(v, seen)))
    else:  # pragma: no cover - ruamel composes only these three
        raise YamlSyntaxError(f"unexpected YAML node {type(node).__name__}", line, col)
    seen[id(node)] = out
    return out


def _explicit_str(node) -> bool:
    # A plain scalar resolved by ruamel as something else but tagged str was tagged by hand.
    return not node.style and node.tag == _STR_TAG and _looks_typed(node.value)


def _looks_typed(text: str) -> bool:
    return bool(_NULL.match(text) or _BOOL.match(text) or _INT.match(text) or _FLOAT.match(text))
