"""Checks of single values: licences, language tags, countries, dates, URLs, e-mails, lengths.

Each function takes the value's text and answers True when it is well formed; none touches the
network.

>>> spdx_expression("EUPL-1.2 OR AGPL-3.0-or-later"), spdx_expression("Foo-1.0")
(True, False)
>>> bcp47("fr"), bcp47("en-GB"), bcp47("en_GB"), bcp47("xxx")
(True, True, False, False)
>>> graphemes("e\\u0301")
1
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import langcodes
import pycountry
import regex
from langcodes.tag_parser import LanguageTagError
from license_expression import ExpressionError, get_spdx_licensing

from kg.publiccode.vocabularies import OEMBED_SCHEMES

_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    """Length in user-perceived characters (extended grapheme clusters)."""
    return len(_GRAPHEME.findall(text))


# --- SPDX -------------------------------------------------------------------------------------

_PLUS = re.compile(r"([A-Za-z0-9.\-]+)\+(?=$|[\s)])")
_REF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+")


@lru_cache(maxsize=1)
def _licensing():
    return get_spdx_licensing()


@lru_cache(maxsize=4096)
def spdx_expression(text: str) -> bool:
    """An SPDX licence expression (ids case-insensitive, ``+``, ``WITH``, ``LicenseRef-``)."""
    if not text.strip():
        return False
    # `id+` (or later) and user-defined references are valid SPDX the library does not know.
    candidate = _REF.sub("MIT", _PLUS.sub(r"\1", text))
    try:
        result = _licensing().validate(candidate, strict=True)
    except (ExpressionError, AttributeError, ValueError):
        # malformed expressions raise (some through an AttributeError inside the library)
        return False
    return not result.errors


# --- languages and countries ------------------------------------------------------------------

# RFC 5646 well-formedness (langtag, private use, grandfathered irregular tags).
_LANGTAG = re.compile(
    r"^(?:"
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"  # language
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?"  # private use
    r"|x(?:-[A-Za-z0-9]{1,8})+"
    r")$"
)


@lru_cache(maxsize=4096)
def bcp47(text: str) -> bool:
    """A well-formed BCP 47 tag whose subtags are in the IANA registry (``en_GB`` is not)."""
    if not _LANGTAG.match(text):
        return False
    try:
        return bool(langcodes.tag_is_valid(text))
    except (LanguageTagError, ValueError, KeyError):
        return False


def primary_language(tag: str) -> str:
    """The primary language subtag, lower case: ``fr-FR`` → ``fr``."""
    return tag.split("-", 1)[0].lower()


@lru_cache(maxsize=1024)
def iso3166_alpha2(text: str) -> bool:
    """An ISO 3166-1 alpha-2 code, all upper or all lower case (lower case is deprecated)."""
    if len(text) != 2 or text not in (text.upper(), text.lower()):
        return False
    return pycountry.countries.get(alpha_2=text.upper()) is not None


# --- dates ------------------------------------------------------------------------------------

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_date(text: str) -> bool:
    """``YYYY-MM-DD`` and nothing else, and a real day."""
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# --- URLs and URIs ----------------------------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_URN = re.compile(
    r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$", re.IGNORECASE
)


def _split(text: str):
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return None
    return parts


def url(text: str) -> bool:
    """An absolute URL of any scheme, with a host (or an opaque part): ``url`` checks."""
    parts = _split(text)
    if parts is None or not parts.scheme or not _SCHEME.match(parts.scheme):
        return False
    if parts.scheme.lower() == "file":
        return True
    return bool(parts.netloc or parts.fragment or (parts.path and not parts.path.startswith("/")))


def http_url(text: str) -> bool:
    """An absolute http(s) URL with a host."""
    parts = _split(text)
    return parts is not None and parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def uri(text: str) -> bool:
    """A URI as ``organisation.uri`` takes it: a URL with a host, or a well-formed URN."""
    parts = _split(text)
    if parts is None or not parts.scheme or not _SCHEME.match(parts.scheme):
        return False
    if parts.scheme.lower() == "urn":
        return bool(_URN.match(text))
    return bool(parts.hostname)


def oembed_video(text: str) -> bool:
    return any(p.match(text) for p in _oembed_patterns())


@lru_cache(maxsize=1)
def _oembed_patterns():
    return [re.compile("^" + re.escape(s).replace(r"\*", ".*") + "$") for s in OEMBED_SCHEMES]


# --- e-mail and MIME --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_MIME = re.compile(
    r"^ *[A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126} *$"
)


def email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def mime_type(text: str) -> bool:
    return bool(_MIME.match(text))
