"""`etl release`: a deterministic zip of dist/, and CHANGELOG.md entries from `etl diff`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from etl.build.release import CHANGELOG_HEAD, write_zip
from etl.cli import main
from etl.tableschema.diff import diff_packages
from etl.tableschema.diff_render import render_diff
from tests.projects import ROOT, copy_project, correct_one_figure

DESCRIPTOR = json.loads((ROOT / "dist/datapackage.json").read_text(encoding="utf-8"))
STEM = f"{DESCRIPTOR['name']}-{DESCRIPTOR['version']}"
#: How a changelog heading dates a release: by the package's `created` day, when it has one.
DATED = f" ({DESCRIPTOR['created'][:10]})" if DESCRIPTOR.get("created") else ""


def _release(project: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["release", "--project", str(project)])
    return result.exit_code, result.output


def _set_version(project: Path, version: str) -> None:
    path = project / "dist/datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = version
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_the_same_package_gives_the_same_zip_bytes(tmp_path: Path) -> None:
    """Two zips of dist/, one from a copy with other times and modes, are byte-identical:
    files sorted under NAME-VERSION/, stamped 1980-01-01, mode 0644, made on Unix."""
    copy = tmp_path / "dist"
    shutil.copytree(ROOT / "dist", copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        if path.is_file():
            path.chmod(0o600)
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    write_zip(ROOT / "dist", first, STEM)
    write_zip(copy, second, STEM)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {(i.date_time, i.external_attr >> 16, i.create_system) for i in infos} == {
            ((1980, 1, 1, 0, 0, 0), 0o100644, 3)
        }
        files = sorted(p for p in (ROOT / "dist").rglob("*") if p.is_file())
        assert names == [f"{STEM}/{p.relative_to(ROOT / 'dist').as_posix()}" for p in files]
        assert [archive.read(n) for n in names] == [p.read_bytes() for p in files]


def test_first_release_says_so_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    """The first release writes the zip and a changelog entry saying it is the first; run
    again on the same dist/ it writes nothing and exits 0."""
    project = copy_project(tmp_path)
    code, output = _release(project)
    target = project / "releases" / f"{STEM}.zip"
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert (code, output) == (
        0,
        f"Released releases/{STEM}.zip (SHA-256 {digest}); CHANGELOG.md: first release.\n",
    )
    changelog = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog == CHANGELOG_HEAD + (
        f"\n## {DESCRIPTOR['version']}{DATED}\n\n`releases/{STEM}.zip`, SHA-256 `{digest}`.\n\n"
        "The first release.\n"
    )
    assert _release(project) == (
        0,
        f"releases/{STEM}.zip is already released with these contents: nothing to do.\n",
    )
    assert (project / "CHANGELOG.md").read_text(encoding="utf-8") == changelog
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest


def test_a_released_version_with_other_contents_is_refused(tmp_path: Path) -> None:
    """dist/ changed but its version did not: exit 2, the zip and changelog untouched."""
    project = copy_project(tmp_path)
    assert _release(project)[0] == 0
    target = project / "releases" / f"{STEM}.zip"
    before = target.read_bytes(), (project / "CHANGELOG.md").read_bytes()
    readme = project / "dist/README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nA change.\n", encoding="utf-8")
    assert _release(project) == (
        2,
        f"Error: version {DESCRIPTOR['version']} is already released as "
        f"{project.resolve() / 'releases' / (STEM + '.zip')} with other contents - raise the "
        "version in the release entry, run `etl build`, then release\n",
    )
    assert (target.read_bytes(), (project / "CHANGELOG.md").read_bytes()) == before
    assert sorted(p.name for p in (project / "releases").iterdir()) == [f"{STEM}.zip"]


def test_the_next_release_appends_its_diff_to_the_changelog(tmp_path: Path) -> None:
    """After a one-figure correction and a new version, the changelog gains the Markdown
    diff against the previous release's zip."""
    project = copy_project(tmp_path)
    _set_version(project, "0.0.1")
    assert _release(project)[0] == 0
    first = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    correct_one_figure(project)
    assert CliRunner().invoke(main, ["build", "--project", str(project)]).exit_code == 0
    _set_version(project, "0.0.2")
    code, output = _release(project)
    name = DESCRIPTOR["name"]
    old, new = project / f"releases/{name}-0.0.1.zip", project / f"releases/{name}-0.0.2.zip"
    digest = hashlib.sha256(new.read_bytes()).hexdigest()
    assert (code, output) == (
        0,
        f"Released releases/{name}-0.0.2.zip (SHA-256 {digest}); CHANGELOG.md: changes since "
        f"{name}-0.0.1.zip.\n",
    )
    body = render_diff(diff_packages(old, new), "markdown").replace("### ", "#### ")
    assert "#### `figures`: 1 changed" in body
    assert (project / "CHANGELOG.md").read_text(encoding="utf-8") == first + (
        f"\n## 0.0.2{DATED}\n\n`releases/{name}-0.0.2.zip`, SHA-256 `{digest}`.\n\n"
        f"Changes since `releases/{name}-0.0.1.zip`:\n\n{body}"
    )


def test_a_previous_release_past_the_cap_is_refused_with_the_option_to_raise_it(
    tmp_path: Path,
) -> None:
    """The previous release's zip is read within --decompressed-max-bytes: past it, the
    next release stops with exit 2 and one line naming the option, which `etl release`
    has, and nothing is written."""
    project = copy_project(tmp_path)
    _set_version(project, "0.0.1")
    assert _release(project)[0] == 0
    _set_version(project, "0.0.2")
    changelog = (project / "CHANGELOG.md").read_bytes()
    args = ["release", "--project", str(project), "--decompressed-max-bytes", "1000"]
    result = CliRunner().invoke(main, args)
    old = project / f"releases/{DESCRIPTOR['name']}-0.0.1.zip"
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {old.as_posix()} expands to more than 1000 bytes - raise the limit with "
        "--decompressed-max-bytes (ETL_DECOMPRESSED_MAX_BYTES) if that is meant\n",
    )
    assert (project / "CHANGELOG.md").read_bytes() == changelog
    assert not (project / f"releases/{DESCRIPTOR['name']}-0.0.2.zip").exists()
