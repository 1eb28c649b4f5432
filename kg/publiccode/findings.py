"""What the validator says about a file: findings (error or warning) and the file's report.

A finding names the key as a dotted path in the reference validator's style
(``description.en.shortDescription``, ``maintenance.contacts[0].name``; a language tag that is
not purely alphabetic keeps brackets: ``description[en-US].features``), a message, and the
1-based line and column it points to (``0, 0`` when the file has no place for it, e.g. a key
missing from a missing section).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

VALID = "valid"
VALID_WITH_WARNINGS = "valid_with_warnings"
INVALID = "invalid"


@dataclass(frozen=True)
class Finding:
    kind: str  # ERROR | WARNING
    key: str
    message: str
    line: int = 0
    column: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}" if self.line else "-"
        key = self.key or "(file)"
        return f"{where} {self.kind}: {key}: {self.message}"


@dataclass
class Report:
    """The outcome of validating one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    version: str | None = None  # publiccodeYmlVersion as written, when it could be read
    data: dict[str, Any] | None = None  # the decoded content (sound parts only), for mapping

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == WARNING]

    @property
    def verdict(self) -> str:
        if self.errors:
            return INVALID
        return VALID_WITH_WARNINGS if self.findings else VALID

    @property
    def ok(self) -> bool:
        """Valid or valid with warnings."""
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "verdict": self.verdict,
            "version": self.version,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.as_dict() for f in self.findings],
        }

    def describe(self) -> str:
        """A human summary: one line for the file, one per finding."""
        head = {VALID: "valid", VALID_WITH_WARNINGS: "valid with warnings", INVALID: "INVALID"}
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        lines = [f"{self.path}: {head[self.verdict]} ({counts})"]
        lines += [f"  {self.path}:{f}" for f in sorted(self.findings, key=_order)]
        return "\n".join(lines)


def _order(f: Finding) -> tuple[int, int, int]:
    return (f.line or 10**9, f.column, 0 if f.kind == ERROR else 1)
