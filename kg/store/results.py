"""Cutting serialised SELECT results at a row cap, without reading them term by term.

The query is run with ``LIMIT cap+1`` (``kg.sparql_text.with_limit``) and serialised by
pyoxigraph; these functions count the rows in the bytes and, when there is one too many, cut
it off. Each count is exact for the bytes pyoxigraph writes: in XML a ``<result>`` tag cannot
occur inside text (``<`` is escaped), TSV escapes newlines inside terms, CSV quotes any field
holding one, and JSON is parsed.

>>> cut(b'?x\\n<a>\\n<b>\\n<c>\\n', "tsv", 2)
(b'?x\\n<a>\\n<b>\\n', 2, True)
>>> cut(b'x\\r\\n"a\\r\\nb"\\r\\n', "csv", 2)
(b'x\\r\\n"a\\r\\nb"\\r\\n', 1, False)
"""

from __future__ import annotations

import json
import re

_CSV_TOKEN = re.compile(rb'"(?:[^"]|"")*"|\r\n')
XML_NOTE = b"<!-- truncated: the row cap was reached -->"


def cut(body: bytes, fmt: str, max_rows: int) -> tuple[bytes, int, bool]:
    """``(body, rows, truncated)`` for a body of at most ``max_rows + 1`` rows."""
    return _CUTTERS[fmt](body, max_rows)


# The start of a non-empty row: ``{"var":{"type":"`` right after ``[`` or ``,``. Inside a JSON
# string every quote is escaped, and after a string's closing quote JSON allows only , } ] :
# so this cannot match inside a value. (The preceding byte is checked in Python: a lookbehind
# makes the regular expression ten times slower.) Empty rows (``{}``) go to the parser.
_JSON_ROW = re.compile(rb'\{"[^"\\:,{}\[\]\s]+":\{"type":"')


def _json(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    if b"{}" in body:
        return _json_parsed(body, max_rows)
    starts = [m.start() for m in _JSON_ROW.finditer(body) if body[m.start() - 1] in b"[,"]
    if len(starts) <= max_rows:
        return body.rstrip()[:-1] + b',"truncated":false}', len(starts), False
    # keep the rows before the one too many, close the array and the document
    return body[:starts[max_rows] - 1] + b']},"truncated":true}', max_rows, True


def _json_parsed(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    doc = json.loads(body)
    bindings = doc["results"]["bindings"]
    if len(bindings) > max_rows:
        del bindings[max_rows:]
        doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), max_rows, True
    end = body.rstrip()
    return end[:-1] + b',"truncated":false}', len(bindings), False


def _xml(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    rows = body.count(b"<result>")
    if rows <= max_rows:
        return body, rows, False
    last = body.rfind(b"<result>")
    return body[:last] + XML_NOTE + b"</results></sparql>\n", max_rows, True


def _tsv(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    rows = max(0, lines - 1)
    if rows <= max_rows:
        return body, rows, False
    end = -1
    for _ in range(max_rows + 1):  # the header line and max_rows rows
        end = body.index(b"\n", end + 1)
    return body[:end + 1], max_rows, True


def _csv(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    if b'"' not in body:  # no quoted field: every CRLF ends a row
        rows = body.count(b"\r\n") + (0 if not body or body.endswith(b"\r\n") else 1) - 1
        if rows <= max_rows:
            return body, max(0, rows), False
    ends = [m.end() for m in _CSV_TOKEN.finditer(body) if m.group() == b"\r\n"]
    if body and not body.endswith(b"\r\n"):
        ends.append(len(body))
    rows = max(0, len(ends) - 1)
    if rows <= max_rows:
        return body, rows, False
    return body[:ends[max_rows]], max_rows, True


_CUTTERS = {"json": _json, "xml": _xml, "tsv": _tsv, "csv": _csv}
