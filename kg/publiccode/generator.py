"""Synthetic but realistic publiccode.yml corpora, for benchmarks and scale tests.

Files look like those of French public-sector projects (names, organisations, descriptions in
French and English, licences, dependencies) and a share of them carries one of the mistakes
seen in real files (``../shared/reference/publiccode-standard.md``, "Pitfalls"): YAML 1.1
booleans, Awesome-style ``fundedBy[].url``, a ``fr:`` section, a licence that is not SPDX, a
release date given as a URL, a missing key, an unsupported version, broken YAML, bytes that are
not UTF-8. The same seed gives the same corpus.

>>> files = list(generate(3, seed=1, invalid_share=0.0))
>>> [f.name for f in files][:1], all(f.valid for f in files)
(['000/000000-...'], True)
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.publiccode.mapping import slug

PREFIXES = (
    "Demarches",
    "Signal",
    "Carto",
    "Open",
    "Data",
    "Mon",
    "Agent",
    "Budget",
    "Urba",
    "Ecole",
    "Sante",
    "Archi",
    "Colla",
    "Vote",
    "Transit",
    "Forms",
    "Portail",
    "Cadastre",
)
SUFFIXES = (
    "Simplifiees",
    "Conso",
    "Lib",
    "Hub",
    "Connect",
    "Flow",
    "Board",
    "Desk",
    "Docs",
    "Map",
    "Pass",
    "Box",
    "Track",
    "Stat",
    "Form",
    "Net",
    "Link",
    "Base",
)
ORGANISATIONS = (
    ("DINUM", "dinum"),
    ("Insee", "inseefrlab"),
    ("Etalab", "etalab"),
    ("ANCT", "anct"),
    ("Ministère de l'Intérieur", "mi"),
    ("Région Île-de-France", "iledefrance"),
    ("Ville de Paris", "paris"),
    ("Ministère de l'Éducation nationale", "mendj"),
    ("CNAM", "cnam"),
    ("beta.gouv.fr", "betagouv"),
    ("ADULLACT", "adullact"),
    ("Métropole de Lyon", "grandlyon"),
    ("IGN", "ignf"),
    ("Cour des comptes", "ccomptes"),
)
FORGES = (
    "https://github.com",
    "https://gitlab.com",
    "https://git.beta.gouv.fr",
    "https://gitlab.adullact.net",
)
LICENCES = (
    "EUPL-1.2",
    "AGPL-3.0-or-later",
    "MIT",
    "Apache-2.0",
    "EUPL-1.2 OR AGPL-3.0-or-later",
    "GPL-3.0-or-later",
    "LGPL-2.1-only",
    "MPL-2.0",
    "BSD-3-Clause",
    "CECILL-2.1",
)
CATEGORIES = (
    "data-collection",
    "data-analytics",
    "content-management",
    "document-management",
    "collaboration",
    "geographic-information-systems",
    "identity-management",
    "e-signature",
    "online-booking",
    "survey",
    "website-builder",
    "design-system",
)
SCOPES = (
    "government",
    "local-authorities",
    "education",
    "healthcare",
    "transportation",
    "environment",
    "culture",
    "justice",
    "employment",
)
DEPENDENCIES = (
    "PostgreSQL",
    "Redis",
    "Python",
    "Django",
    "Node.js",
    "React",
    "Ruby on Rails",
    "Kubernetes",
    "Elasticsearch",
    "Nginx",
    "Docker",
    "Vue.js",
    "Java",
    "Keycloak",
)
PLATFORMS = ("web", "linux", "windows", "mac", "android", "ios")
STATUSES = ("concept", "development", "beta", "stable", "stable", "stable", "obsolete")
TYPES = (
    "standalone/web",
    "standalone/web",
    "standalone/backend",
    "library",
    "addon",
    "standalone/desktop",
    "standalone/mobile",
    "configurationFiles",
)
FIRST_NAMES = ("Camille", "Dominique", "Claude", "Alix", "Sacha", "Maxime", "Charlie", "Lou")
LAST_NAMES = ("Martin", "Bernard", "Durand", "Petit", "Leroy", "Moreau", "Fournier", "Girard")
FR_SENTENCES = (
    "Ce logiciel libre aide les administrations à simplifier leurs démarches en ligne.",
    "Il est développé et maintenu par une équipe publique, avec la communauté.",
    "Les données sont ouvertes et réutilisables sous licence libre.",
    "L'outil respecte le système de design de l'État et les règles d'accessibilité (RGAA).",
    "Il s'installe sur une infrastructure souveraine et s'intègre à ProConnect.",
    "Chaque collectivité peut l'adapter à ses besoins grâce à sa configuration.",
)
EN_SENTENCES = (
    "This free software helps public administrations simplify their online procedures.",
    "It is developed and maintained by a public team, together with its community.",
    "Its data is open and reusable under a free licence.",
    "It follows the French State design system and accessibility rules.",
    "It can be deployed on a sovereign infrastructure and plugs into ProConnect.",
)

# (name, how it breaks a file, whether the file stays valid: warnings only)
MISTAKES = (
    ("yaml11-boolean", False),
    ("fundedby-url", False),
    ("fr-section", False),
    ("licence-not-spdx", False),
    ("release-date-url", False),
    ("missing-software-type", False),
    ("unsupported-version", False),
    ("broken-yaml", False),
    ("not-utf8", False),
    ("short-long-description", False),
    ("contractors-without-contract", False),
    ("lowercase-it-section", True),
    ("old-version", True),
)


@dataclass(frozen=True)
class GeneratedFile:
    name: str  # relative path without the file name: NNN/NNNNNN-slug
    content: bytes
    valid: bool  # expected: no error (warnings allowed)
    mistake: str | None


def _paragraph(rnd: random.Random, sentences: tuple[str, ...], n: int) -> str:
    return " ".join(rnd.choice(sentences) for _ in range(n))


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(i: int, rnd: random.Random, mistake: str | None) -> tuple[str, str]:
    name = f"{rnd.choice(PREFIXES)}{rnd.choice(SUFFIXES)}"
    if rnd.random() < 0.3:
        name += f" {rnd.randint(2, 9)}"
    org_name, org_slug = rnd.choice(ORGANISATIONS)
    repo = f"{rnd.choice(FORGES)}/{org_slug}/{slug(name)}-{i}"
    version = "0.2" if mistake == "old-version" else rnd.choice(("0", "0", "0.4", "0.5.0"))
    if mistake == "unsupported-version":
        version = "2.4.0"
    lines = [f'publiccodeYmlVersion: "{version}"', f"name: {_yaml_str(name)}", f"url: {repo}"]
    if rnd.random() < 0.6:
        lines.append(f"landingURL: https://{slug(name)}.{org_slug}.fr")
    if rnd.random() < 0.7:
        lines.append(
            f"softwareVersion: {rnd.randint(0, 5)}.{rnd.randint(0, 20)}.{rnd.randint(0, 9)}"
        )
    if mistake == "release-date-url":
        lines.append(f"releaseDate: '{repo}/releases/latest'")
    elif rnd.random() < 0.7:
        lines.append(
            f"releaseDate: '20{rnd.randint(18, 26)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}'"
        )
    lines.append("organisation:")
    lines.append(f"  name: {_yaml_str(org_name)}")
    lines.append(
        f"  uri: https://lannuaire.service-public.fr/gouvernement/{rnd.getrandbits(64):016x}"
    )
    lines.append("platforms:")
    lines += [f"  - {p}" for p in rnd.sample(PLATFORMS, rnd.randint(1, 3))]
    lines.append("categories:")
    lines += [f"  - {c}" for c in rnd.sample(CATEGORIES, rnd.randint(1, 3))]
    if mistake == "fundedby-url":
        lines += [
            "fundedBy:",
            f"  - name: {_yaml_str(org_name)}",
            f"    url: https://{org_slug}.gouv.fr",
        ]
    lines.append(f"developmentStatus: {rnd.choice(STATUSES)}")
    if mistake != "missing-software-type":
        lines.append(f"softwareType: {rnd.choice(TYPES)}")
    lines += ["intendedAudience:", "  countries:", "    - FR", "  scope:"]
    lines += [f"    - {s}" for s in rnd.sample(SCOPES, rnd.randint(1, 2))]
    lines.append("description:")
    languages = ["fr"] + (["en"] if rnd.random() < 0.5 else [])
    for lang in languages:
        sentences = FR_SENTENCES if lang == "fr" else EN_SENTENCES
        long_text = _paragraph(rnd, sentences, rnd.randint(3, 8))
        if mistake == "short-long-description":
            long_text = sentences[0]
        lines += [
            f"  {lang}:",
            f"    shortDescription: {_yaml_str(sentences[0][: rnd.randint(40, 140)].strip())}",
            "    longDescription: |",
            *[f"      {chunk}" for chunk in _wrap(long_text)],
            f"    documentation: https://doc.{slug(name)}.fr/{lang}",
            "    features:",
            *[f"      - {_yaml_str(s.split(',')[0][:60])}" for s in rnd.sample(sentences, 2)],
        ]
    lines += [
        "legal:",
        f"  license: {'Licence Ouverte' if mistake == 'licence-not-spdx' else rnd.choice(LICENCES)}",
        f"  mainCopyrightOwner: {_yaml_str(org_name)}",
    ]
    kind = rnd.choice(("internal", "community", "contract", "none"))
    if mistake == "contractors-without-contract":
        kind = "community"
    lines += ["maintenance:", f"  type: {kind}"]
    if kind in ("internal", "community"):
        person = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
        lines += [
            "  contacts:",
            f"    - name: {person}",
            f"      email: contact@{org_slug}.example.org",
        ]
    if kind == "contract" or mistake == "contractors-without-contract":
        lines += ["  contractors:", "    - name: Société Exemple", "      until: '2027-12-31'"]
    ready = "yes" if mistake == "yaml11-boolean" else rnd.choice(("true", "false"))
    lines += ["localisation:", f"  localisationReady: {ready}", "  availableLanguages:"]
    lines += [f"    - {lang}" for lang in languages]
    lines += ["dependsOn:", "  open:"]
    for dep in rnd.sample(DEPENDENCIES, rnd.randint(1, 4)):
        lines += [f"    - name: {dep}"]
        if rnd.random() < 0.3:
            lines.append(f"      versionMin: '{rnd.randint(1, 16)}'")
    if mistake == "fr-section":
        lines += ["fr:", "  sample: '0.2'"]
    if mistake == "lowercase-it-section":
        lines += ["it:", "  countryExtensionVersion: '1.0'", "  piattaforme:", "    spid: false"]
    if mistake == "broken-yaml":
        lines.insert(len(lines) // 2, "   misplaced: [indentation")
    return slug(name), "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 90) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return out + ([line] if line else [])


def generate(n: int, *, seed: int = 0, invalid_share: float = 0.1) -> Iterator[GeneratedFile]:
    """``n`` files, one at a time (nothing is kept in memory)."""
    rnd = random.Random(seed)
    for i in range(n):
        mistake, valid = None, True
        if rnd.random() < invalid_share:
            mistake, valid = rnd.choice(MISTAKES)
        file_slug, text = render(i, rnd, mistake)
        data = text.encode("utf-8")
        if mistake == "not-utf8":
            data = data.replace(b"name: ", b"name: \xe9", 1)
        yield GeneratedFile(f"{i // 1000:03d}/{i:06d}-{file_slug}", data, valid, mistake)


def write_corpus(folder: Path, n: int, *, seed: int = 0, invalid_share: float = 0.1) -> int:
    """Write ``n`` files as ``folder/NNN/NNNNNN-slug/publiccode.yml``; returns how many are
    expected to have errors."""
    invalid = 0
    for f in generate(n, seed=seed, invalid_share=invalid_share):
        target = folder / f.name / "publiccode.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content)
        invalid += not f.valid
    return invalid
