import json

import pytest

from kg.publiccode.validator import validate_bytes

LONG = "Un logiciel libre pour les administrations, " * 5

MINIMAL = f"""\
publiccodeYmlVersion: "0"
name: Exemple
url: https://github.com/example/exemple
platforms: [web]
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Un exemple.
    longDescription: "{LONG}"
    features: [Exemple]
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Équipe Exemple
localisation:
  localisationReady: true
  availableLanguages: [fr]
"""


def check(text: str):
    return validate_bytes(text.encode(), "publiccode.yml")


def keys(report):
    return sorted((f.kind, f.key) for f in report.findings)


def test_minimal_file_is_valid():
    report = check(MINIMAL)
    assert report.verdict == "valid", report.describe()
    assert report.data["name"] == "Exemple"
    assert report.data["localisation"]["localisationReady"] is True


def test_yes_is_a_string_so_a_wrong_type_for_a_boolean():
    report = check(MINIMAL.replace("localisationReady: true", "localisationReady: yes"))
    assert ("error", "localisation.localisationReady") in keys(report)
    wrong = [f for f in report.findings if f.message == "wrong type for this field"]
    assert [(f.key, f.line, f.column) for f in wrong] == [("localisation.localisationReady", 19, 1)]


def test_unquoted_version_and_date_keep_their_text():
    text = MINIMAL.replace('publiccodeYmlVersion: "0"', "publiccodeYmlVersion: 0.2")
    report = check(text + "releaseDate: 2024-09-05\n")
    assert report.version == "0.2"
    assert report.data["releaseDate"] == "2024-09-05"
    assert keys(report) == [("warning", "publiccodeYmlVersion")]


def test_version_1_is_unsupported():
    report = check(MINIMAL.replace('"0"', '"1"'))
    assert [(f.kind, f.key) for f in report.findings] == [("error", "publiccodeYmlVersion")]
    assert "unsupported version: '1'" in report.findings[0].message


@pytest.mark.parametrize(
    "edit, key",
    [
        (("type: community", "type: internal\n  contractors: []"), "maintenance.contractors"),
        (("  contacts:\n    - name: Équipe Exemple\n", ""), "maintenance.contacts"),
        (
            ("type: community\n  contacts:\n    - name: Équipe Exemple\n", "type: contract\n"),
            "maintenance.contractors",
        ),
        (("developmentStatus: stable", "developmentStatus: done"), "developmentStatus"),
        (("softwareType: standalone/web", "softwareType: web"), "softwareType"),
        (("license: EUPL-1.2", "license: Licence Ouverte"), "legal.license"),
        (
            ("availableLanguages: [fr]", "availableLanguages: [fr_FR]"),
            "localisation.availableLanguages[0]",
        ),
        (
            ("shortDescription: Un exemple.", "shortDescription: " + "é" * 151),
            "description.fr.shortDescription",
        ),
        (
            (f'longDescription: "{LONG}"', "longDescription: trop court"),
            "description.fr.longDescription",
        ),
        (("platforms: [web]", "platforms: []"), "platforms"),
        (("url: https://github.com/example/exemple", "url: exemple"), "url"),
    ],
)
def test_rule_errors(edit, key):
    report = check(MINIMAL.replace(*edit))
    assert ("error", key) in keys(report), report.describe()
    assert report.verdict == "invalid"


def test_contractors_for_contract_maintenance_are_valid():
    text = MINIMAL.replace(
        "type: community\n  contacts:\n    - name: Équipe Exemple\n",
        "type: contract\n  contractors:\n    - name: Société\n      until: '2027-01-01'\n",
    )
    assert check(text).verdict == "valid", check(text).describe()


def test_unknown_key_is_an_error_with_its_line_and_deprecated_key_a_warning():
    text = MINIMAL + "fr:\n  sample: '0.2'\n"
    text = text.replace(
        "    features: [Exemple]", "    features: [Exemple]\n    genericName: Exemple"
    )
    report = check(text)
    unknown = [f for f in report.findings if f.key == "fr"]
    assert unknown[0].message.startswith('unknown field "fr"') and unknown[0].line == 22
    assert ("warning", "description.fr.genericName") in keys(report)


def test_lowercase_country_is_a_warning_mixed_case_an_error():
    report = check(MINIMAL + "intendedAudience:\n  countries: [fr, Fr]\n")
    assert keys(report) == [
        ("error", "intendedAudience.countries[1]"),
        ("warning", "intendedAudience.countries[0]"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"name: \xff\xfe\n", "Invalid UTF-8"),
        (b"a: [1,\n", None),
        (b"- a\n- b\n", "mapping"),
        (b"", "publiccodeYmlVersion is a required field"),
    ],
)
def test_unreadable_files_give_one_error_with_a_position(data, message):
    report = validate_bytes(data, "x.yml")
    assert report.verdict == "invalid"
    assert len(report.errors) == 1
    if message:
        assert message in report.errors[0].message
    json.dumps(report.as_dict())  # always serialisable


def test_utf8_error_points_at_the_byte():
    report = validate_bytes(b"publiccodeYmlVersion: '0'\nname: \xff\n", "x.yml")
    assert (report.errors[0].line, report.errors[0].column) == (2, 7)


def test_logo_checks_against_a_checkout(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"not a png")
    path = tmp_path / "publiccode.yml"
    from kg.publiccode.validator import validate_file

    path.write_text(MINIMAL + "logo: logo.png\n")
    assert validate_file(path).verdict == "valid"  # no checkout given: not checked
    assert [f.message for f in validate_file(path, check_files=True).errors] == [
        "image: unknown format"
    ]
    path.write_text(MINIMAL + "logo: /abs/logo.png\n")
    assert validate_file(path).errors[0].message.startswith("is an absolute path")


@pytest.mark.parametrize(
    "extra, message",
    [
        ("fundedBy:\n  - name: DINUM\n    url: https://x.example\n", '"url" (did you mean "uri"?)'),
        ("screenshots: [a.png]\n", '"screenshots" (it belongs in description.<lang>)'),
        ("contact: x\n", '"contact" (did you mean "contacts" in maintenance?)'),
        ("fr:\n  sample: '0.2'\n", '"fr" (the only country section is IT: there is none for FR)'),
        ("awesomeScore: 3\n", '"awesomeScore"'),
    ],
)
def test_unknown_keys_come_with_a_hint(extra, message):
    report = check(MINIMAL + extra)
    [error] = [f for f in report.errors if f.message.startswith("unknown field")]
    assert error.message == "unknown field " + message
