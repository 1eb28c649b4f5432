"""Where a key is in the file: dotted paths to line and column, and back.

The reference validator names a finding's place by looking its key up in the YAML tree
(``find_key_pos``) and names a decoding error's key by the line it occurred on
(``key_at_line``); we follow the same conventions so that positions and keys agree with it.
"""

from __future__ import annotations

from kg.publiccode.yaml12 import Mapping, Node, Scalar, Sequence


def find_key_pos(root: Node | None, key: str) -> tuple[int, int]:
    """The position of ``key`` (``a.b[0].c``, ``description[en-US].features``), or (0, 0).

    A key found points to its key token; a missing last segment points to its parent mapping
    (its ``{`` for a flow mapping, its first key otherwise); a missing middle segment gives 0, 0.
    """
    if root is None or not key:
        return 0, 0
    return _find(root, key.split("."))


def _find(node: Node, parts: list[str]) -> tuple[int, int]:
    part = parts[0]
    index, sub, base = -1, "", part
    if "[" in part and part.endswith("]"):
        i = part.rindex("[")
        inner = part[i + 1 : -1]
        if inner.isdigit():
            index, base = int(inner), part[:i]
        elif inner:
            sub, base = inner, part[:i]
    if isinstance(node, Mapping):
        for k, v in node.items:
            if k.text != base:
                continue
            if index >= 0:
                if not isinstance(v, Sequence) or index >= len(v.items):
                    return k.line, k.column
                elem = v.items[index]
                if len(parts) == 1:
                    return elem.line, elem.column
                return _find(elem, parts[1:])
            if sub:
                return _find(v, [sub, *parts[1:]])
            if len(parts) == 1:
                return k.line, k.column
            return _find(v, parts[1:])
        if node.flow:
            return node.line, node.column
        if len(parts) == 1 and node.items:
            first = node.items[0][0]
            return first.line, first.column
        return 0, 0
    return node.line, node.column


def key_at_line(node: Node | None, line: int, prefix: str = "") -> str:
    """The dotted path of the first key (or list item) that starts on ``line``."""
    if isinstance(node, Mapping):
        for k, v in node.items:
            full = f"{prefix}.{k.text}" if prefix else k.text
            if k.line == line:
                return full
            found = key_at_line(v, line, full)
            if found:
                return found
    elif isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            seq_key = f"{prefix}[{i}]"
            if item.line == line:
                return seq_key
            found = key_at_line(item, line, seq_key)
            if found:
                return found
    return ""


def scalar_text(node: Node | None) -> str | None:
    return node.text if isinstance(node, Scalar) else None
