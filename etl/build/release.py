"""A release: dist/ as one deterministic zip in releases/, and its changes in CHANGELOG.md.

The zip holds every file of dist/ under a folder NAME-VERSION/, in sorted order, each stamped
1980-01-01 00:00:00 with permissions 0644 and made on "Unix", so the same package gives the
same bytes whatever the files' times, owners or modes. The changelog entry is the `etl diff`
(Markdown) of the previous release's zip against this one, or says that this is the first.
A version is released once: releasing it again with the same contents changes nothing, and
with other contents is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.build.settings import Settings
from etl.report.errors import UsageError
from etl.tableschema.diff import diff_packages
from etl.tableschema.diff_render import render_diff

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3  # ZipInfo.create_system: the external attributes are Unix modes
CHANGELOG_HEAD = (
    "# Changelog\n\nEach release of the data package, with what changed since the one "
    "before (written by `etl release`).\n"
)


@dataclass(frozen=True)
class Release:
    """What `etl release` did: the zip, its digest, and whether it was new."""

    zip_path: Path
    sha256: str
    created: bool
    previous: Path | None


def release_name(name: str, version: str) -> str:
    """The zip's file name (and the folder inside it)."""
    return f"{name}-{version}"


def write_zip(folder: Path, target: Path, prefix: str) -> None:
    """Every file below `folder`, sorted, under `prefix/`, with fixed times and modes."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def zip_contents(path: Path) -> dict[str, bytes]:
    """Each member's name and bytes."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """A version ordered by its numbers: 0.10.0 after 0.9.1."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def previous_release(releases: Path, name: str, version: str) -> Path | None:
    """The zip of the latest release of `name` before `version`, if any."""
    pattern = re.compile(rf"{re.escape(name)}-(.+)\.zip")
    found: list[tuple[tuple[tuple[int, str], ...], Path]] = []
    for path in releases.glob(f"{name}-*.zip") if releases.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match and match.group(1) != version:
            found.append((_version_key(match.group(1)), path))
    earlier = [item for item in found if item[0] < _version_key(version)]
    return max(earlier)[1] if earlier else None


def _package_identity(dist: Path) -> tuple[str, str, str]:
    """The package's name, version and created date (or ""), from dist/datapackage.json."""
    descriptor = dist / "datapackage.json"
    if not descriptor.is_file():
        raise UsageError(f"{descriptor} does not exist - run `etl build` first")
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
        name, version = str(data["name"]), str(data["version"])
        created = str(data.get("created") or "")[:10]
    except (ValueError, KeyError, TypeError):
        raise UsageError(
            f"{descriptor} has no name and version - run `etl build` to write it again"
        ) from None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", f"{name}-{version}"):
        raise UsageError(f"{descriptor}: {name}-{version} cannot name a file - fix the name")
    return name, version, created


def make_release(settings: Settings) -> Release:
    """Zip dist/ into releases/NAME-VERSION.zip and append its changes to CHANGELOG.md.

    Raises UsageError when dist/ is missing, or when this version was released with other
    contents (raise the version, rebuild, and release again).
    """
    name, version, created = _package_identity(settings.dist)
    releases = settings.root / "releases"
    releases.mkdir(exist_ok=True)
    stem = release_name(name, version)
    target = releases / f"{stem}.zip"
    handle, staged_name = tempfile.mkstemp(prefix=f".{stem}-", suffix=".zip", dir=releases)
    os.close(handle)
    staged = Path(staged_name)
    try:
        write_zip(settings.dist, staged, stem)
        digest = hashlib.sha256(staged.read_bytes()).hexdigest()
        if target.exists():
            if zip_contents(target) != zip_contents(staged):
                raise UsageError(
                    f"version {version} is already released as {target} with other contents - "
                    "raise the version in the release entry, run `etl build`, then release"
                )
            return Release(target, hashlib.sha256(target.read_bytes()).hexdigest(), False, None)
        previous = previous_release(releases, name, version)
        heading = f"{version} ({created})" if created else version
        entry = _changelog_entry(settings, target, staged, digest, previous, heading)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    changelog = settings.root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else CHANGELOG_HEAD
    changelog.write_text(text.rstrip("\n") + "\n\n" + entry, encoding="utf-8")
    return Release(target, digest, True, previous)


def _changelog_entry(
    settings: Settings,
    target: Path,
    staged: Path,
    digest: str,
    previous: Path | None,
    heading: str,
) -> str:
    """The CHANGELOG.md section of this release."""
    where = target.relative_to(settings.root).as_posix()
    lines = [f"## {heading}", "", f"`{where}`, SHA-256 `{digest}`.", ""]
    if previous is None:
        lines += ["The first release.", ""]
        return "\n".join(lines)
    before = previous.relative_to(settings.root).as_posix()
    difference = diff_packages(previous, staged)
    lines += [f"Changes since `{before}`:", ""]
    body = render_diff(difference, "markdown").replace("### ", "#### ")
    return "\n".join(lines) + "\n" + body
