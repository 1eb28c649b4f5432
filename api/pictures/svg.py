"""Graphviz drawings as SVG fit to sit inside an HTML page.

``render`` runs Graphviz (``dot``, Debian package ``graphviz``) through the ``graphviz`` Python
bindings; ``inline`` prepares its SVG for a page: no XML prolog, a title and ``role="img"``
with the text alternative, and links taken out of the keyboard order (the text version next to
the picture carries the same links for keyboards and screen readers).

Text in the drawing goes through ``label``: Graphviz's HTML-like labels take markup, so every
text from the graph is escaped there (a label may well contain ``<script>``).
"""

from __future__ import annotations

import html
import re

import graphviz

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"


class GraphvizMissing(RuntimeError):
    """The ``dot`` program is not installed (the pages then go without their diagrams; the
    ``.svg`` URLs answer 503)."""


def label(text: str) -> str:
    """Text for an HTML-like Graphviz label, escaped.

    >>> label('<script>alert("x")</script> & co')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
    """
    return html.escape(text, quote=True)


def attribute(text: str) -> str:
    """Text for an ordinary Graphviz attribute (a tooltip, a URL): never read as an HTML-like
    label (a text from the graph may start with ``<`` and end with ``>``), backslashes kept.

    >>> backslash = chr(92)
    >>> attribute(backslash + "N") == backslash * 2 + "N"
    True
    """
    return graphviz.escape(text)


def render(graph: graphviz.Digraph) -> str:
    """The SVG text of a Graphviz graph (drawn by ``dot``)."""
    try:
        return graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing("Graphviz is needed to draw diagrams: apt-get install graphviz") from exc


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def inline(svg: str, *, alt: str, ident: str) -> str:
    """``svg`` (Graphviz output) ready to be written into a page as it is: ``alt`` becomes
    its accessible name and first ``<title>``; ``ident`` is the id of that title."""
    body = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    body = _SVG_OPEN.sub(
        lambda m: (f'<svg{m.group(1)} role="img" aria-labelledby="{label(ident)}" '
                   f'class="diagram-svg"><title id="{label(ident)}">{label(alt)}</title>'),
        body, count=1)
    return body.replace("<a xlink:href", '<a tabindex="-1" xlink:href')


def standalone(svg: str, *, alt: str) -> str:
    """``svg`` as a file of its own (served as ``image/svg+xml``) with ``alt`` as its title."""
    return inline(svg, alt=alt, ident="title")
