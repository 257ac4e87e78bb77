"""Where the project's folders are: the one place paths come from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl.report.errors import UsageError


@dataclass(frozen=True)
class Settings:
    """The project folder and the folders derived from it."""

    root: Path

    @classmethod
    def for_project(cls, root: Path) -> Settings:
        """Settings for the project at `root`, which must hold raw/ and schemas/."""
        root = root.resolve()
        missing = [f"{name}/" for name in ("raw", "schemas") if not (root / name).is_dir()]
        if missing:
            raise UsageError(
                f"{root} is not a project folder: it has no {' or '.join(missing)} "
                "- run from the project folder or pass --project DIR"
            )
        return cls(root)

    @property
    def raw(self) -> Path:
        """Transcribed tables and source texts."""
        return self.root / "raw"

    @property
    def schemas(self) -> Path:
        """Table Schemas and package metadata."""
        return self.root / "schemas"

    @property
    def dist(self) -> Path:
        """The published data package."""
        return self.root / "dist"
