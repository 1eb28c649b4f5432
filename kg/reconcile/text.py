"""Normal forms for comparing names and URLs.

>>> fold("  Ministère de l'Économie ")
'ministere de l economie'
>>> url_key("https://www.Example.org/repo.git/")
'example.org/repo'
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=1 << 16)  # names are compared many times: fold each once
def fold(text: str) -> str:
    """Lower case, accents removed, every run of punctuation or space made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # letters that do not decompose
    bare = bare.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    return _NON_WORD.sub(" ", bare).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


@functools.lru_cache(maxsize=1 << 16)
def acronym(text: str) -> str:
    """The initials of the words, function words skipped (to compare a name with an acronym).

    >>> acronym("Institut national de la statistique et des études économiques")
    'insee'
    """
    words = [w for w in tokens(text) if w not in _FUNCTION_WORDS]
    return "".join(w[0] for w in words)


_FUNCTION_WORDS = frozenset(
    ["de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux", "a", "pour", "sur", "of", "the", "and", "for", "in", "on", "at"]
)


def url_parts(url: str) -> tuple[str, str]:
    """(host, path) of a URL without scheme, ``www.``, trailing slash, ``.git`` or fragment;
    the host in lower case, the path as written.

    >>> url_parts("https://www.GitHub.com/InseeFrLab/onyxia.git/")
    ('github.com', 'InseeFrLab/onyxia')
    """
    u = url.strip()
    u = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", u)
    u = u.split("#", 1)[0]
    host, _, path = u.partition("/")
    host = host.lower()
    host = host.removeprefix("www.")
    path = path.rstrip("/")
    path = path.removesuffix(".git")
    return host, path.rstrip("/")


def url_key(url: str) -> str:
    """A URL's (host, path) in lower case: two URLs with the same key name the same page or
    repository (forges ignore the case of owner and repository names, which is where URLs
    differ in practice)."""
    host, path = url_parts(url)
    return (f"{host}/{path}" if path else host).lower()
