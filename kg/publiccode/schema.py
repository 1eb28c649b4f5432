"""The shape of a publiccode.yml of the 0 series (v0.7): every key, its type and its rules.

This is the standard's key table as data (``../shared/reference/publiccode-standard.md`` §1.2):
the validator decodes a file against it (types, unknown keys) and then applies each key's rules
in order, stopping at the first that fails, as the reference validator does.

Rules (a key's ``rules`` apply to the value, ``each`` to every item of a list or map):

- ``required``: present and not empty; ``gt0``: a list or map with at least one item;
- ``oneof:<a b c>``, ``umin:<n>`` / ``umax:<n>`` (graphemes);
- ``url``, ``http_url``, ``date``, ``spdx``, ``bcp47``, ``bcp47_keys``, ``iso3166``,
  ``category``, ``scope``, ``mime``, ``email``, ``org_uri``, ``supports_id``, ``ipa``;
- ``required_if:<value>`` / ``excluded_unless:<value>``: on the sibling key ``type``.

``omit`` says when the rules are skipped: ``nil`` (key absent), ``empty`` (absent or empty).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.publiccode.vocabularies import (
    DEVELOPMENT_STATUSES,
    IT_EXTENSION_VERSIONS,
    MAINTENANCE_TYPES,
    SOFTWARE_TYPES,
    SUPPORTED_VERSIONS,
)


@dataclass(frozen=True)
class Type:
    kind: str  # str | bool | urls (one URL or a list) | list | struct | map
    item: Type | None = None  # for list and map
    fields: tuple[Key, ...] = ()  # for struct

    def field(self, name: str) -> Key | None:
        for k in self.fields:
            if k.name == name:
                return k
        return None


@dataclass(frozen=True)
class Key:
    name: str
    type: Type
    rules: tuple[str, ...] = ()
    each: tuple[str, ...] = ()
    omit: str = ""  # "" | nil | empty
    deprecated: str | None = None  # why, when the key is deprecated


STR = Type("str")
BOOL = Type("bool")
URLS = Type("urls")


def list_of(item: Type) -> Type:
    return Type("list", item=item)


def struct(*fields: Key) -> Type:
    return Type("struct", fields=tuple(fields))


def k(name, type, rules=(), each=(), omit="", deprecated=None) -> Key:
    return Key(name, type, tuple(rules), tuple(each), omit, deprecated)


def oneof(values) -> str:
    return "oneof:" + " ".join(values)


ORGANISATION = struct(
    k("name", STR, omit="nil"),
    k("uri", STR, ["required", "org_uri"]),
)

CONTRACTOR = struct(
    k("name", STR, ["required"]),
    k("email", STR, ["email"], omit="empty"),
    k("website", STR, ["http_url"], omit="nil"),
    k("until", STR, ["required", "date"]),
)

CONTACT = struct(
    k("name", STR, ["required"]),
    k("email", STR, ["email"], omit="empty"),
    k("affiliation", STR, omit="nil"),
    k("phone", STR, omit="nil"),
)

DEPENDENCY = struct(
    k("name", STR, ["required"]),
    k("versionMin", STR, omit="nil"),
    k("versionMax", STR, omit="nil"),
    k("optional", BOOL, omit="nil"),
    k("version", STR, omit="nil"),
)

DESCRIPTION = struct(
    k("localisedName", STR, omit="nil"),
    k("genericName", STR, ["umax:35"], deprecated="It's safe to drop it"),
    k("shortDescription", STR, ["required", "umax:150"]),
    k("longDescription", STR, ["required", "umin:150", "umax:10000"]),
    k("documentation", STR, ["http_url"], omit="nil"),
    k("apiDocumentation", STR, ["http_url"], omit="nil"),
    k("features", list_of(STR), ["gt0"]),
    k("screenshots", list_of(STR)),
    k("videos", list_of(STR), each=["http_url"]),
    k("awards", list_of(STR)),
)

IT_SECTION = struct(
    k("countryExtensionVersion", STR, [oneof(IT_EXTENSION_VERSIONS)], omit="nil"),
    k(
        "conforme",
        struct(
            k("lineeGuidaDesign", BOOL, omit="nil"),
            k("modelloInteroperabilita", BOOL, omit="nil"),
            k("misureMinimeSicurezza", BOOL, omit="nil"),
            k("gdpr", BOOL, omit="nil"),
        ),
        omit="nil",
    ),
    k("riuso", struct(k("codiceIPA", STR, ["ipa"], omit="empty"))),
    k(
        "piattaforme",
        struct(*(k(name, BOOL) for name in ("spid", "pagopa", "cie", "anpr", "io"))),
    ),
)

DEPENDENCIES = list_of(DEPENDENCY)

PUBLICCODE = struct(
    k("publiccodeYmlVersion", STR, ["required", oneof(SUPPORTED_VERSIONS)]),
    k("name", STR, ["required"]),
    k("applicationSuite", STR),
    k("url", STR, ["required", "url"]),
    k("landingURL", STR, ["http_url"], omit="nil"),
    k("isBasedOn", URLS, each=["url"], omit="empty"),
    k("softwareVersion", STR),
    k("releaseDate", STR, ["date"], omit="nil"),
    k("logo", STR, omit="nil"),
    k("monochromeLogo", STR, omit="nil", deprecated="Use 'logo' instead"),
    k("organisation", ORGANISATION, omit="nil"),
    k("inputTypes", list_of(STR), each=["mime"], omit="empty", deprecated="It's safe to drop it"),
    k("outputTypes", list_of(STR), each=["mime"], omit="empty", deprecated="It's safe to drop it"),
    k("platforms", list_of(STR), ["gt0"]),
    k("categories", list_of(STR), each=["category"], omit="empty"),
    k("usedBy", list_of(STR), omit="nil"),
    k("fundedBy", list_of(ORGANISATION), omit="empty"),
    k("roadmap", STR, ["http_url"], omit="nil"),
    k("developmentStatus", STR, ["required", oneof(DEVELOPMENT_STATUSES)]),
    k("softwareType", STR, ["required", oneof(SOFTWARE_TYPES)]),
    k("supports", list_of(struct(k("id", STR, ["required", "supports_id"]))), omit="empty"),
    k(
        "intendedAudience",
        struct(
            k("scope", list_of(STR), each=["scope"], omit="empty"),
            k("countries", list_of(STR), each=["iso3166"], omit="empty"),
            k("unsupportedCountries", list_of(STR), each=["iso3166"], omit="empty"),
        ),
        omit="nil",
    ),
    k("description", Type("map", item=DESCRIPTION), ["gt0", "bcp47_keys"]),
    k(
        "legal",
        struct(
            k("license", STR, ["required", "spdx"]),
            k("mainCopyrightOwner", STR, omit="nil"),
            k("repoOwner", STR, omit="nil", deprecated="Use 'organisation.name' instead"),
            k("authorsFile", STR, omit="nil", deprecated="It's safe to drop it"),
        ),
    ),
    k(
        "maintenance",
        struct(
            k("type", STR, ["required", oneof(MAINTENANCE_TYPES)]),
            k(
                "contractors",
                list_of(CONTRACTOR),
                ["required_if:contract", "excluded_unless:contract"],
                omit="empty",
            ),
            k(
                "contacts",
                list_of(CONTACT),
                ["required_if:community", "required_if:internal"],
                omit="empty",
            ),
        ),
    ),
    k(
        "localisation",
        struct(
            k("localisationReady", BOOL, ["required"]),
            k("availableLanguages", list_of(STR), ["required", "gt0"], each=["bcp47"]),
        ),
    ),
    k(
        "dependsOn",
        struct(
            k("open", DEPENDENCIES, omit="empty"),
            k("proprietary", DEPENDENCIES, omit="empty"),
            k("hardware", DEPENDENCIES, omit="empty"),
        ),
        omit="nil",
    ),
    k("IT", IT_SECTION, omit="nil"),
    k("it", IT_SECTION, omit="nil", deprecated="Use 'IT' instead"),
)
