"""Validate a publiccode.yml of the 0 series like the reference validator, without the network.

Three passes, as in the reference (italia/publiccode-parser-go):

1. *read*: UTF-8, YAML 1.2, one document, then ``publiccodeYmlVersion`` (version "1" and
   unknown versions stop here);
2. *decode* against ``kg.publiccode.schema``: wrong types and unknown keys are errors; a
   top-level key holding a wrong type is then treated as absent (so its required keys are
   reported too);
3. *rules*: each key's rules in order (required, enumerations, formats, lengths, conditional
   keys), then the checks across keys: deprecated keys, lowercase codes, logo and screenshot
   files (only when the repository's files are at hand: ``base_dir``), video hosts, the
   Italian section.

>>> report = validate_bytes(b'publiccodeYmlVersion: "1"\\n', "x.yml")
>>> report.verdict, report.findings[0].key
('invalid', 'publiccodeYmlVersion')
"""

from __future__ import annotations

import struct as _struct
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from kg.publiccode import formats
from kg.publiccode.findings import ERROR, WARNING, Finding, Report
from kg.publiccode.positions import find_key_pos, key_at_line
from kg.publiccode.schema import PUBLICCODE, Key, Type
from kg.publiccode.vocabularies import (
    CATEGORIES,
    LATEST_VERSION,
    LOGO_EXTENSIONS,
    SCOPES,
    SCREENSHOT_EXTENSIONS,
    SUPPORTED_VERSIONS,
    SUPPORTS_ALIASES,
)
from kg.publiccode.yaml12 import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    YamlSyntaxError,
    load,
    scalar_type,
)

DEPRECATED = "This key is DEPRECATED and will be removed in the future. "
CATEGORY_LIST = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst"
)
SCOPE_LIST = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst"
)
ALIAS_LIST = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst"
)
IPA_VOCABULARY = "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary"
ITALIAN_PA = "urn:x-italian-pa:"


def validate_file(path: Path, *, check_files: bool = False, ipa_codes=None) -> Report:
    """Validate the file at ``path``; with ``check_files``, files it names (logo, screenshots,
    AUTHORS) must exist beside it, as in a checkout of its repository."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return Report(str(path), [Finding(ERROR, "", f"cannot read the file: {e.strerror}")])
    base = path.parent if check_files else None
    return validate_bytes(data, str(path), base_dir=base, ipa_codes=ipa_codes)


def validate_bytes(
    data: bytes, path: str = "publiccode.yml", *, base_dir: Path | None = None, ipa_codes=None
) -> Report:
    report = Report(path)
    v = _Validation(report, base_dir, ipa_codes)
    v.run(data)
    return report


class _Validation:
    def __init__(self, report: Report, base_dir: Path | None, ipa_codes):
        self.report = report
        self.base_dir = base_dir
        self.ipa_codes = ipa_codes  # a set of known iPA codes (lower case), or None: not checked
        self.root: Node | None = None

    # --- findings -----------------------------------------------------------------------------

    def error(self, key: str, message: str, pos: tuple[int, int] | None = None) -> None:
        self._add(ERROR, key, message, pos)

    def warning(self, key: str, message: str, pos: tuple[int, int] | None = None) -> None:
        self._add(WARNING, key, message, pos)

    def _add(self, kind, key, message, pos) -> None:
        line, col = pos if pos is not None else find_key_pos(self.root, key)
        self.report.findings.append(Finding(kind, key, message, line, col))

    # --- pass 1: read -------------------------------------------------------------------------

    def run(self, data: bytes) -> None:
        try:
            root = load(data)
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            self.error("", "Invalid UTF-8", (line, col))
            return
        except YamlSyntaxError as e:
            self.error("", e.message, (e.line, e.column))
            return
        self.root = root
        if root is None:
            self.error("publiccodeYmlVersion", "publiccodeYmlVersion is a required field", (0, 0))
            return
        if not isinstance(root, Mapping):
            self.error(
                "", "the file must be a YAML mapping of keys to values", (root.line, root.column)
            )
            return
        version = root.get("publiccodeYmlVersion")
        if version is None or scalar_type(version) == "null":
            self.error("publiccodeYmlVersion", "publiccodeYmlVersion is a required field", (0, 0))
            return
        if not isinstance(version, Scalar):
            self.error("publiccodeYmlVersion", "wrong type for this field")
            return
        text = version.text.strip()
        self.report.version = text
        if text not in SUPPORTED_VERSIONS:
            self.error(
                "publiccodeYmlVersion",
                f"unsupported version: '{text}'. Supported versions: {', '.join(SUPPORTED_VERSIONS)}",
                (0, 0),
            )
            return
        if text != "0" and not text.startswith("0.7"):
            self.warning(
                "publiccodeYmlVersion",
                f"v{text} is not the latest version, use '0'. Parsing this file as v{LATEST_VERSION}.",
            )
        value = self.decode_document(root)
        self.report.data = value
        self.check_rules(PUBLICCODE, value, "")
        self.check_across(value)

    # --- pass 2: decode -----------------------------------------------------------------------

    def decode_document(self, root: Mapping) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, node in root.items:
            spec = PUBLICCODE.field(key_node.text)
            if spec is None:
                self.unknown(key_node, PUBLICCODE)
                continue
            errors_before = len(self.report.errors)
            value = self.decode(spec.type, node)
            if len(self.report.errors) > errors_before and self._type_error_since(errors_before):
                continue  # a wrong type anywhere in a top-level key: the key counts as absent
            if value is not _ABSENT:
                out[key_node.text] = value
        return out

    def _type_error_since(self, start: int) -> bool:
        return any(f.message == WRONG_TYPE for f in self.report.errors[start:])

    def unknown(self, key_node: Scalar, struct: Type) -> None:
        key = key_at_line(self.root, key_node.line) or key_node.text
        message = f'unknown field "{key_node.text}"'
        message += _hint(key_node.text, struct)
        self.error(key, message, (key_node.line, 1))

    def wrong_type(self, node: Node) -> object:
        key = key_at_line(self.root, node.line)
        self.error(key, WRONG_TYPE, (node.line, 1))
        return _ABSENT

    def decode(self, t: Type, node: Node) -> Any:
        kind = scalar_type(node)
        if kind == "null":
            return _ABSENT
        if t.kind == "str":
            return node.text if isinstance(node, Scalar) else self.wrong_type(node)
        if t.kind == "bool":
            if kind != "bool":
                return self.wrong_type(node)
            return node.text.lower() == "true"
        if t.kind == "urls":
            if isinstance(node, Scalar):
                return [node.text]
            if isinstance(node, Sequence):
                return [self.decode(Type("str"), item) for item in node.items]
            return self.wrong_type(node)
        if t.kind == "list":
            if not isinstance(node, Sequence):
                return self.wrong_type(node)
            items = [self.decode(t.item, item) for item in node.items]
            # a null item decodes to the zero value of its type
            return [_zero(t.item) if i is _ABSENT else i for i in items]
        if t.kind == "map":
            if not isinstance(node, Mapping):
                return self.wrong_type(node)
            return {k.text: _none_if_absent(self.decode(t.item, v)) for k, v in node.items}
        if t.kind == "struct":
            if not isinstance(node, Mapping):
                return self.wrong_type(node)
            out = {}
            for key_node, value_node in node.items:
                spec = t.field(key_node.text)
                if spec is None:
                    self.unknown(key_node, t)
                    continue
                value = self.decode(spec.type, value_node)
                if value is not _ABSENT:
                    out[key_node.text] = value
            return out
        raise AssertionError(t.kind)

    # --- pass 3: rules ------------------------------------------------------------------------

    def check_rules(self, t: Type, value: dict[str, Any] | None, ns: str) -> None:
        """Apply the rules of every key of struct type ``t`` to ``value`` (a decoded mapping)."""
        value = value or {}
        for spec in t.fields:
            key = f"{ns}.{spec.name}" if ns else spec.name
            present = spec.name in value
            v = value.get(spec.name)
            if not self.conditional(spec, key, present, v, value):
                continue
            if spec.omit == "nil" and not present:
                continue
            if spec.omit == "empty" and (not present or _empty(v)):
                continue
            if not self.apply(spec.rules, spec.name, key, v, present):
                continue
            self.dive(spec, key, v)

    def conditional(self, spec: Key, key: str, present: bool, v, parent: dict) -> bool:
        for rule in spec.rules:
            name, _, arg = rule.partition(":")
            if name == "required_if" and parent.get("type") == arg and not present:
                self.error(key, f'{spec.name} is a required field when "type" is "{arg}"')
                return False
            if name == "excluded_unless" and parent.get("type") != arg and present:
                self.error(key, f'{spec.name} must not be present unless "type" is "{arg}"')
                return False
        return True

    def dive(self, spec: Key, key: str, v) -> None:
        t = spec.type
        if t.kind in ("list", "urls") and isinstance(v, list):
            for i, item in enumerate(v):
                item_key = f"{key}[{i}]"
                field = f"{spec.name}[{i}]"
                passed = self.apply(spec.each, field, item_key, item, True)
                if passed and t.item is not None and t.item.kind == "struct":
                    self.check_rules(t.item, item, item_key)
        elif t.kind == "map" and isinstance(v, dict):
            for lang, item in v.items():
                item_key = f"{key}.{lang}" if lang.isalpha() else f"{key}[{lang}]"
                if t.item is not None and t.item.kind == "struct":
                    self.check_rules(t.item, item, item_key)
        elif t.kind == "struct":
            self.check_rules(t, v if isinstance(v, dict) else {}, key)

    def apply(self, rules, field: str, key: str, v, present: bool) -> bool:
        """Apply ``rules`` in order; report the first that fails. True when all pass."""
        for rule in rules:
            name, _, arg = rule.partition(":")
            if name in ("required_if", "excluded_unless"):
                continue
            message = self.rule_fails(name, arg, field, v, present)
            if message:
                self.error(key, message)
                return False
        return True

    def rule_fails(self, name: str, arg: str, field: str, v, present: bool) -> str | None:
        if name == "required":
            if not present or v == "" or v is None:
                return f"{field} is a required field"
            return None
        if name == "gt0":
            return None if v else f"{field} must contain more than 0 items"
        if name == "bcp47_keys":
            ok = all(formats.bcp47(lang) for lang in (v or {}))
            return None if ok else f"{field} must be a valid BCP 47 language"
        if not isinstance(v, str):
            return None
        if name == "oneof":
            values = arg.split()
            if v in values:
                return None
            quoted = ", ".join(f'"{x}"' for x in values[:-1]) + f' or "{values[-1]}"'
            return f"{field} must be one of the following: {quoted}"
        if name in ("umax", "umin"):
            n = formats.graphemes(v)
            if name == "umax" and n > int(arg):
                return f"{field} must be a maximum of {arg} characters in length"
            if name == "umin" and n < int(arg):
                return f"{field} must be at least {arg} characters in length"
            return None
        checks = {
            "url": (formats.url, "{} must be a valid URL"),
            "http_url": (formats.http_url, "{} must be an HTTP URL"),
            "date": (formats.iso_date, "{} must be a date with format 'YYYY-MM-DD'"),
            "spdx": (
                formats.spdx_expression,
                "{} must be a valid license (see https://spdx.org/licenses)",
            ),
            "bcp47": (formats.bcp47, "{} must be a valid BCP 47 language"),
            "iso3166": (
                formats.iso3166_alpha2,
                "{} must be a valid ISO 3166-1 alpha-2 two-letter country code",
            ),
            "category": (
                CATEGORIES.__contains__,
                "{} must be a valid category (see " + CATEGORY_LIST + ")",
            ),
            "scope": (SCOPES.__contains__, "{} must be a valid scope (see " + SCOPE_LIST + ")"),
            "mime": (formats.mime_type, "{} is not a valid MIME type"),
            "email": (formats.email, "{} must be a valid email address"),
            "ipa": (
                self.ipa_code,
                "{} must be a valid Italian Public Administration Code (iPA) (see "
                + IPA_VOCABULARY
                + ")",
            ),
        }
        if name in checks:
            check, message = checks[name]
            return None if check(v) else message.format(field)
        if name == "org_uri":
            return self.organisation_uri(field, v)
        if name == "supports_id":
            return self.supports_id(field, v)
        raise AssertionError(f"unknown rule {name}")

    def ipa_code(self, code: str) -> bool:
        if self.ipa_codes is None:  # the iPA registry is not at hand: well-formed is enough
            return bool(code) and code.replace("_", "").isalnum()
        return code.lower() in self.ipa_codes

    def organisation_uri(self, field: str, v: str) -> str | None:
        if v.lower().startswith(ITALIAN_PA):
            if formats.uri(v) and self.ipa_code(v[len(ITALIAN_PA) :]):
                return None
            if not formats.uri(v):
                return f"{field} is not a valid URI"
            return (
                f"{field} must be a valid Italian Public Administration Code (iPA) with format "
                f"'urn:x-italian-pa:[codiceIPA]' (see {IPA_VOCABULARY})"
            )
        return None if formats.uri(v) else f"{field} is not a valid URI"

    def supports_id(self, field: str, v: str) -> str | None:
        if v.startswith("alias:"):
            if v[len("alias:") :] in SUPPORTS_ALIASES:
                return None
            return f"{field} contains an unknown alias (see {ALIAS_LIST})"
        if formats.uri(v):
            return None
        return f"{field} must be a known alias ('alias:<name>') or a valid URI (URL or URN)"

    # --- pass 3b: checks across keys ----------------------------------------------------------

    def check_across(self, d: dict[str, Any]) -> None:
        self.check_file("logo", d.get("logo"), LOGO_EXTENSIONS, logo=True)
        mono = d.get("monochromeLogo")
        if mono:
            self.warning("monochromeLogo", deprecation("monochromeLogo"))
            self.check_file("monochromeLogo", mono, LOGO_EXTENSIONS, logo=True)
        audience = d.get("intendedAudience") or {}
        for section in ("countries", "unsupportedCountries"):
            for i, code in enumerate(audience.get(section) or []):
                if isinstance(code, str) and formats.iso3166_alpha2(code) and code == code.lower():
                    self.warning(
                        f"intendedAudience.{section}[{i}]",
                        f"Lowercase country codes are DEPRECATED. Use uppercase instead ('{code.upper()}')",
                    )
        legal = d.get("legal") or {}
        if "authorsFile" in legal:
            self.warning("legal.authorsFile", deprecation("legal.authorsFile"))
            self.check_file("legal.authorsFile", legal["authorsFile"], None)
        if "repoOwner" in legal:
            self.warning("legal.repoOwner", deprecation("legal.repoOwner"))
        for key in ("inputTypes", "outputTypes"):
            if key in d:
                self.warning(key, deprecation(key))
        for lang, desc in (d.get("description") or {}).items():
            desc = desc or {}
            if desc.get("genericName"):
                self.warning(
                    f"description.{lang}.genericName", deprecation("description.genericName")
                )
            for i, shot in enumerate(desc.get("screenshots") or []):
                self.check_file(
                    f"description.{lang}.screenshots[{i}]", shot, SCREENSHOT_EXTENSIONS, image=True
                )
            for i, video in enumerate(desc.get("videos") or []):
                if isinstance(video, str) and not formats.oembed_video(video):
                    self.error(
                        f"description.{lang}.videos[{i}]",
                        f"'{video}' is not a valid video URL supporting oEmbed: invalid oEmbed link: {video}",
                    )
        self.check_italian(d)

    def check_italian(self, d: dict[str, Any]) -> None:
        it, section = d.get("IT"), "IT"
        if "it" in d:
            self.warning(
                "it",
                "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead",
            )
            it, section = d["it"], "it"
        if "IT" in d and "it" in d:
            self.error("it", "'IT' key already present. Remove this key")
            it, section = d["IT"], "IT"
        if not it:
            return
        # keys name the section `IT` (as the reference does); positions point to the one read
        if "conforme" in it:
            pos = find_key_pos(self.root, f"{section}.conforme")
            self.warning("IT.conforme", DEPRECATED + "It's safe to drop it", pos)
        code = (it.get("riuso") or {}).get("codiceIPA")
        if code and self.ipa_code(code):
            self.warning(
                "IT.riuso.codiceIPA",
                DEPRECATED + f"Use 'organisation.uri' and set it to '{ITALIAN_PA}{code}' instead",
                find_key_pos(self.root, f"{section}.riuso.codiceIPA"),
            )

    def check_file(
        self, key: str, value, extensions, *, logo: bool = False, image: bool = False
    ) -> None:
        """A file the publiccode.yml names: a relative path in the repository or an http(s) URL."""
        if not isinstance(value, str) or not value:
            return
        if value.startswith("/"):
            self.error(key, "is an absolute path. Only relative paths or HTTP(s) URLs allowed")
            return
        if value.startswith("file:"):
            self.error(key, "is a file:// URL. Only relative paths or HTTP(s) URLs allowed")
            return
        if self.base_dir is None or formats.url(value):
            return  # no checkout at hand, or a remote file: nothing to check offline
        target = self.base_dir / value
        if extensions is not None and target.suffix.lower() not in extensions:
            self.error(key, f"invalid file extension for: {target}")
            return
        if not target.is_file():
            message = f"no such file: {target}"
            if image:
                message = f"'{value}' is not an image: {message}"
            elif not logo:
                message = f"'{target}' does not exist: {message}"
            self.error(key, message)
            return
        if target.suffix.lower() == ".png" and not _is_png(target):
            self.error(key, "image: unknown format")


WRONG_TYPE = "wrong type for this field"


def _places(t: Type, prefix: str, out: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every key name of the schema → the sections it belongs in (for hints)."""
    for f in t.fields:
        out.setdefault(f.name, []).append(prefix or "the top level")
        inner = f.type.item if f.type.kind in ("list", "map") else f.type
        if inner is not None and inner.kind == "struct":
            here = f"{prefix}.{f.name}" if prefix else f.name
            _places(inner, here + (".<lang>" if f.type.kind == "map" else ""), out)
    return out


_KEY_PLACES = _places(PUBLICCODE, "", {})


def _hint(name: str, struct: Type) -> str:
    """A likely fix for an unknown key: a sibling spelt nearly so, or the section it belongs in."""

    def near(candidate: str) -> bool:
        return Levenshtein.distance(name.lower(), candidate.lower()) <= max(1, len(name) // 5)

    if struct is PUBLICCODE and len(name) == 2 and name.isalpha() and name.upper() != "IT":
        return f" (the only country section is IT: there is none for {name.upper()})"
    sibling = next((f.name for f in struct.fields if near(f.name)), None)
    if sibling:
        return f' (did you mean "{sibling}"?)'
    for candidate, places in _KEY_PLACES.items():
        if candidate == name or near(candidate):
            where = " or ".join(places)
            return (
                f' (did you mean "{candidate}" in {where}?)'
                if candidate != name
                else (f" (it belongs in {where})")
            )
    return ""


def deprecation(path: str) -> str:
    """The warning for a deprecated key of the schema (``description.genericName`` for the key
    of every language)."""
    t, spec = PUBLICCODE, None
    for part in path.split("."):
        spec = t.field(part)
        assert spec is not None, path
        t = spec.type.item if spec.type.kind == "map" and spec.type.item else spec.type
    assert spec is not None and spec.deprecated, path
    return DEPRECATED + spec.deprecated


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


_ABSENT: Any = _Absent()


def _zero(t: Type):
    return {"str": "", "bool": False, "list": [], "map": {}, "struct": {}, "urls": []}[t.kind]


def _none_if_absent(v):
    return None if v is _ABSENT else v


def _empty(v) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _is_png(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(24)
    except OSError:
        return False
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return False
    width, height = _struct.unpack(">II", head[16:24])
    return width > 0 and height > 0
