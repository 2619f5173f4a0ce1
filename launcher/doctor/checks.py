"""Check results shared by `doctor` and its parts: ok / warn / fail with a message key and a fix key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from launcher.errors import LauncherError, Notice

OK, WARN, FAIL = "ok", "warn", "fail"
_RANK = {OK: 0, WARN: 1, FAIL: 2}


@dataclass
class CheckResult:
    id: str  # stable, e.g. "profile.reference"
    status: str  # ok | warn | fail
    key: str  # message key for what was found
    params: dict = field(default_factory=dict)
    fix_key: str | None = None  # message key of the fix (None when ok)


@dataclass
class Section:
    kind: str  # package | runtime | xiaozhi | profile
    subject: str  # the root, interpreter, folder or profile name
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def status(self) -> str:
        return worst(c.status for c in self.checks)


@dataclass
class Report:
    sections: list[Section] = field(default_factory=list)

    @property
    def status(self) -> str:
        return worst(s.status for s in self.sections)

    def counts(self) -> dict[str, int]:
        out = {OK: 0, WARN: 0, FAIL: 0}
        for s in self.sections:
            for c in s.checks:
                out[c.status] += 1
        return out

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "counts": self.counts(),
            "sections": [
                {"kind": s.kind, "subject": s.subject, "status": s.status, "checks": [asdict(c) for c in s.checks]}
                for s in self.sections
            ],
        }


def worst(statuses) -> str:
    return max(statuses, key=_RANK.__getitem__, default=OK)


def ok(id_: str, key: str, **params) -> CheckResult:
    return CheckResult(id_, OK, key, params)


def warn(id_: str, key: str, **params) -> CheckResult:
    return CheckResult(id_, WARN, key, params, key + ".hint")


def fail(id_: str, key: str, **params) -> CheckResult:
    return CheckResult(id_, FAIL, key, params, key + ".hint")


def from_error(id_: str, exc: LauncherError, status: str = FAIL) -> CheckResult:
    return CheckResult(id_, status, exc.key, dict(exc.params), exc.key + ".hint")


def from_notice(id_: str, notice: Notice, status: str = WARN) -> CheckResult:
    return CheckResult(id_, status, notice.key, dict(notice.params), notice.key + ".hint")


@dataclass
class PackageState:
    """What the package checks found, for the profile checks that use the same root."""

    root: Path
    info: object | None  # package.PackageInfo; None when the package is unusable
    error: LauncherError | None
    python: Path | None
    ffprobe: Path | None
    probe: object | None = None  # probe.ProbeResult when the runtime was asked
