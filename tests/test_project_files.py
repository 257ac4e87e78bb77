"""Promises the README makes about set-up and CI."""

from __future__ import annotations

import re

from tests.projects import ROOT


def readme_commands() -> list[str]:
    """The shell commands in the README's set-up section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_the_two_setup_commands() -> None:
    """One command installs and builds, one installs and runs the tests."""
    build, tests = readme_commands()
    assert build.endswith("&& .venv/bin/etl build")
    assert "pip install -e '.[test]'" in tests
    assert tests.endswith("&& .venv/bin/python -m pytest")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """.ci/run runs the README's test command verbatim, failing on any error."""
    script = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert "set -euo pipefail" in script
    assert readme_commands()[1] in script
