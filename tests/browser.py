"""A headless Chromium of the tests' own: Debian's `chromium` (installed by
tools/install-system-packages.sh), driven by Playwright for Python with that executable;
Playwright's own browser download is never used.

Without chromium (or Playwright) the tests that need a browser are skipped, except in CI
(`CI=true`), where they fail: CI must run them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

#: Chromium's switches: headless, no sandbox (the tests may run as root), and nothing that
#: would reach the network on its own (updates, sync, first-run pages).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Debian's chromium (or Ubuntu's chromium-browser), or None when not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{message}: in CI the browser tests must run")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A running headless Chromium, closed when the tests end."""
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium is not installed (sh tools/install-system-packages.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def file_of(url: str) -> Path | None:
    """The local file a file:// URL names (without its fragment), or None for any other URL."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def inside(folder: Path, url: str) -> bool:
    """Whether `url` names a file inside `folder`."""
    path = file_of(url)
    if path is None:
        return False
    resolved = path.resolve()
    return resolved.is_relative_to(folder.resolve()) and resolved.is_file()


class OfflinePage:
    """A page of a fresh browser context in which every request is routed: a request for a
    file inside `folder` goes through, any other is aborted and recorded, as is every
    console error and uncaught page error."""

    def __init__(self, browser: Any, folder: Path, **context_options: Any) -> None:
        self.folder = folder
        self.context = browser.new_context(**context_options)
        self.refused: list[str] = []
        self.requested: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if inside(self.folder, url):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def open(self, name: str) -> Any:
        """Load `folder/name` from file:// and wait until it has loaded."""
        self.page.goto((self.folder / name).resolve().as_uri(), wait_until="load")
        return self.page

    def close(self) -> None:
        """Close the context and its page."""
        self.context.close()
