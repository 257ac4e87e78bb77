"""Tests for etl.tableschema.pandera_import: the command's process uses pandera without pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(code: str) -> str:
    """What a fresh interpreter prints for `code`."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_validate_command_never_imports_pandas() -> None:
    """`etl validate` checks the project's valid package without importing pandera at all
    (no constraint fails), and pandas and hypothesis stay out. (numpy may come in: pyarrow
    reads the package's Parquet files with it.) tests/test_pandera_failures.py shows a
    broken cell bringing pandera in, still without pandas.
    """
    package = str(ROOT / "dist/datapackage.json")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from etl.cli import main\n"
        f"result = CliRunner().invoke(main, ['validate', {package!r}])\n"
        "print(result.exit_code, 'pandera' in sys.modules,"
        " sorted({'pandas', 'hypothesis'} & set(sys.modules)))\n"
    )
    assert run(code) == "0 False []\n"


def test_polars_only_pandera_still_finds_constraint_errors() -> None:
    """pandera imported the polars-only way runs its checks and reports failures."""
    code = (
        "from etl.tableschema.pandera_import import load_polars_only\n"
        "print(load_polars_only())\n"
        "import pandera.polars as pa, polars as pl\n"
        "schema = pa.DataFrameSchema({'x': pa.Column(pl.Int64, checks=pa.Check.le(2))})\n"
        "try:\n"
        "    schema.validate(pl.DataFrame({'x': [1, 5]}), lazy=True)\n"
        "except pa.errors.SchemaErrors as exc:\n"
        "    print(exc.failure_cases.select('check', 'failure_case').rows())\n"
    )
    assert run(code) == "True\n[('less_than_or_equal_to(2)', '5')]\n"


def test_nothing_is_hidden_once_pandas_is_imported() -> None:
    """With pandas already imported, pandera is imported as installed and pandas stays."""
    code = (
        "import pandas\n"
        "from etl.tableschema.pandera_import import load_polars_only\n"
        "print(load_polars_only())\n"
        "import pandera\n"
        "print(hasattr(pandera, 'DataFrameSchema'))\n"
    )
    assert run(code) == "False\nTrue\n"
