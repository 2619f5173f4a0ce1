"""The GitHub Actions workflows test what the README promises, on real Windows.

actionlint checks their syntax in .ci/run; these tests check their meaning: the
job matrix, the test command (the README's own), the release's artifacts, and
that publishing needs no stored token.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from launcher import __version__

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return data


def readme_test_command() -> str:
    """The test command of the README's set-up: the first `pytest` command in a code block
    (`pip install ".[test]" && python -m pytest  # ...` gives `python -m pytest`)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    for line in (line for block in blocks for line in block.splitlines()):
        for command in line.split("#")[0].split("&&"):
            if "pytest" in command:
                return command.strip()
    raise AssertionError("README.md shows no test command")


def steps_running(job: dict, command: str) -> list[dict]:
    return [s for s in job["steps"] if (s.get("run") or "").strip() == command]


def test_ci_runs_on_push_and_pull_request():
    assert set(load("ci.yml")["on"]) >= {"push", "pull_request"}


def test_ci_matrix_is_windows_and_ubuntu_with_the_promised_pythons():
    job = load("ci.yml")["jobs"]["test"]
    cells = {(c["os"], c["python"]) for c in job["strategy"]["matrix"]["include"]}
    assert cells == {
        ("windows-latest", "3.9"), ("windows-latest", "3.11"), ("windows-latest", "3.13"),
        ("ubuntu-latest", "3.9"), ("ubuntu-latest", "3.13"),
    }
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["strategy"]["fail-fast"] is False  # one red cell must not hide the others


def test_ci_runs_the_readme_test_command_and_ci_run_does_too():
    command = readme_test_command()
    job = load("ci.yml")["jobs"]["test"]
    assert steps_running(job, command), f"ci.yml does not run {command!r}"
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(command)}$", ci_run, re.M), f".ci/run does not run {command!r}"


def test_wine_is_installed_on_ubuntu_only():
    job = load("ci.yml")["jobs"]["test"]
    wine = [s for s in job["steps"] if "bat.sh" in (s.get("run") or "")]
    assert len(wine) == 1 and wine[0]["if"] == "runner.os == 'Linux'"


@pytest.mark.parametrize("workflow", ["ci.yml", "release.yml"])
def test_the_exe_is_built_with_build_bat_and_smoke_tested(workflow):
    jobs = load(workflow)["jobs"]
    builders = [j for j in jobs.values() if any("build.bat" in (s.get("run") or "") for s in j["steps"])]
    assert len(builders) == 1 and builders[0]["runs-on"] == "windows-latest"
    runs = "\n".join(s.get("run") or "" for s in builders[0]["steps"])
    assert "sovits-launch.exe --version" in runs and "sovits-launch.exe demo" in runs


def test_release_on_version_tags_with_exe_wheel_sdist_and_sums():
    wf = load("release.yml")
    assert wf["on"] == {"push": {"tags": ["v*"]}}
    publish = wf["jobs"]["github-release"]
    script = "\n".join(s.get("run") or "" for s in publish["steps"])
    for artifact in ("sovits-launch.exe", "*.whl", "*.tar.gz", "SHA256SUMS.txt"):
        assert artifact in script
    assert "sha256sum" in script
    assert publish["permissions"] == {"contents": "write"}


def test_release_refuses_a_tag_that_is_not_the_package_version():
    steps = load("release.yml")["jobs"]["dist"]["steps"]
    check = [s for s in steps if "__version__" in (s.get("run") or "")]
    assert check and "GITHUB_REF_NAME" in check[0]["run"]


def test_pypi_by_trusted_publishing_without_a_stored_token():
    job = load("release.yml")["jobs"]["pypi"]
    assert job["permissions"] == {"id-token": "write"}
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in job["steps"])
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "password" not in text


def test_the_version_has_one_source_and_a_changelog_entry():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'attr = "launcher.__version__"' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog
