"""Tests for etl.cli_common.return_freed_memory: the `etl` command has polars' allocator
return freed memory at once, unless the user chose its settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.cli_common import ALLOCATOR_ENV, allocator_settings, usable_cpus

CODE = (
    "import os, sys\n"
    "from click.testing import CliRunner\n"
    "from etl.cli import main\n"
    "result = CliRunner().invoke(main, ['validate', '--schema', sys.argv[2], sys.argv[1]])\n"
    f"print(result.exit_code, os.environ.get({ALLOCATOR_ENV!r}))\n"
)


def said(tmp_path: Path, env: dict[str, str]) -> str:
    """What a fresh `etl validate` of a small valid table prints of the allocator's settings."""
    (tmp_path / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "s.json").write_text('{"fields": [{"name": "a", "type": "integer"}]}')
    args = [sys.executable, "-c", CODE, str(tmp_path / "t.csv"), str(tmp_path / "s.json")]
    return subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout


def test_the_command_returns_freed_memory_at_once(tmp_path: Path) -> None:
    """Unset, the variable polars reads ends with the command's settings, after polars' own."""
    env = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    exit_code, settings = said(tmp_path, env).split()
    assert (exit_code, settings.endswith("," + allocator_settings(usable_cpus()))) == ("0", True)


def test_the_users_allocator_settings_are_kept(tmp_path: Path) -> None:
    """A value the user set is left as polars would read it: theirs last, no setting added."""
    env = {**os.environ, ALLOCATOR_ENV: "dirty_decay_ms:7"}
    exit_code, settings = said(tmp_path, env).split()
    assert (exit_code, settings.split(",")[-1]) == ("0", "dirty_decay_ms:7")
    assert "narenas" not in settings and "muzzy_decay_ms:0" not in settings


@pytest.mark.parametrize(
    ("cpus", "settings"),
    [
        (1, "muzzy_decay_ms:0,narenas:1"),
        (2, "muzzy_decay_ms:0,narenas:1"),
        (3, "muzzy_decay_ms:0,narenas:1"),
        (16, "muzzy_decay_ms:0,narenas:8"),
    ],
)
def test_one_arena_for_every_two_processors(cpus: int, settings: str) -> None:
    """Freed pages go back at once; arenas grow with the processors, one at the least."""
    assert allocator_settings(cpus) == settings
