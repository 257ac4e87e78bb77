"""Shared fixtures: the folder of small data files the tests read."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/data, where fixture files are named after what they break."""
    return DATA
