"""Names of the graph's entities, found in a page's text by exact match after folding.

Folding drops accents and case and treats punctuation as a word break, nothing more: "Démarches
simplifiées" matches "demarches-simplifiees" but "Grist" never matches "Gristle" nor a misspelt
"Grsit". On top of that, three guards against a true name meaning something else:

- capitals: a word the name writes with a capital must have one in the text (except the first
  word of a several-word name: "la communauté BlueHats"), so "la dérivation" (of Nix) is not
  the company La Dérivation, nor "label" the project Label, unless a name of the entity is
  written that way;
- a one-word name followed or preceded (a space between) by a capitalised word is part of a
  longer name: "Google Summer of Code" does not name Google;
- a person needs at least two words separated by a space (sources often give a first name
  only, "Jean-Baptiste" included, which would match strangers).

A folded name shared by two entities is ambiguous and matches none of them.

>>> idx = NameIndex()
>>> idx.add("Démarches simplifiées", "project", "ds"); idx.add("Label", "project", "label")
>>> idx.add("Google", "organisation", "google")
>>> sorted(idx.find("DÉMARCHES-SIMPLIFIÉES, un label, le Google Summer of Code, Google."))
[('organisation', 'google'), ('project', 'ds')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: ``fold("Établi Numérique") == "etabli numerique"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(unicodedata.normalize("NFC", text)))


def key(name: str) -> tuple[str, ...]:
    return tuple(fold(m.group(0)) for m in words(name))


def _capitals(ws) -> tuple[bool, ...]:
    return tuple(m.group(0)[:1].isupper() for m in ws)


class NameIndex:
    def __init__(self) -> None:
        self._owners: dict[tuple[str, ...], set[tuple[str, str]]] = defaultdict(set)
        self._spellings: dict[tuple[str, ...], set[tuple[bool, ...]]] = defaultdict(set)
        self._lengths: dict[str, set[int]] = defaultdict(set)  # first word → name lengths

    def add(self, name: str, kind: str, ident: str) -> None:
        ws = words(name)
        k = tuple(fold(m.group(0)) for m in ws)
        if not k or (kind == "person" and len(name.split()) < 2):
            return
        self._owners[k].add((kind, ident))
        self._spellings[k].add(_capitals(ws))
        self._lengths[k[0]].add(len(k))

    def owner(self, name: str) -> tuple[str, str] | None:
        """The one entity with exactly this (folded) name, or None (unknown or ambiguous)."""
        owners = self._owners.get(key(name), set())
        return next(iter(owners)) if len(owners) == 1 else None

    @property
    def ambiguous(self) -> dict[str, set[tuple[str, str]]]:
        return {" ".join(k): v for k, v in self._owners.items() if len(v) > 1}

    def _written_so(self, k: tuple[str, ...], found: tuple[bool, ...]) -> bool:
        start = 1 if len(k) > 1 else 0
        return any(
            all(f or not n for n, f in zip(name[start:], found[start:], strict=True))
            for name in self._spellings[k]
        )

    def find(self, text: str) -> set[tuple[str, str]]:
        """Entities named in ``text`` (whole words, folded, guarded), ambiguous names left out."""
        text = unicodedata.normalize("NFC", text)
        ws = words(text)
        folded = [fold(m.group(0)) for m in ws]

        found: set[tuple[str, str]] = set()
        for i in range(len(folded)):
            for n in sorted(self._lengths.get(folded[i], ())):
                k = tuple(folded[i : i + n])
                owners = self._owners.get(k)
                if not owners or len(owners) > 1:
                    continue
                if not self._written_so(k, _capitals(ws[i : i + n])):
                    continue
                if n == 1 and (_joined(text, ws, i - 1, i) or _joined(text, ws, i, i + 1)):
                    continue
                found |= owners
        return found


def _joined(text: str, ws: list[re.Match], a: int, b: int) -> bool:
    """Words ``a`` and ``b`` (a < b) both exist, only spaces lie between them, and the other
    one than the match starts with a capital: the two read as one longer name."""
    if a < 0 or b >= len(ws):
        return False
    between = text[ws[a].end() : ws[b].start()]
    if between.strip(" \u00a0") != "" or "\n" in between:
        return False
    return ws[a].group(0)[:1].isupper() and ws[b].group(0)[:1].isupper()
