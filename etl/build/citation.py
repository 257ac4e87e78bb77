"""How to cite the package: a plain-text reference and a BibTeX entry, both made from the
package descriptor (title, version, created date, contributors, licence, homepage)."""

from __future__ import annotations

from typing import Any


def _authors(descriptor: dict[str, Any]) -> list[str]:
    """The contributors credited as creators (all of them when none is)."""
    people = descriptor["contributors"]
    creators = [c for c in people if "creator" in c.get("roles", [])]
    return [c["title"] for c in creators or people]


def citation_text(descriptor: dict[str, Any]) -> str:
    """A plain-text reference: authors (year). Title (version) [Data set]. Where."""
    year = descriptor["created"][:4]
    where = f" {descriptor['homepage']}" if descriptor.get("homepage") else ""
    return (
        f"{'; '.join(_authors(descriptor))} ({year}). {descriptor['title']} "
        f"(version {descriptor['version']}) [Data set]. Frictionless data package "
        f"`{descriptor['name']}`, {descriptor['licenses'][0]['name']}.{where}"
    )


def bibtex(descriptor: dict[str, Any]) -> str:
    """A BibTeX @misc entry; corporate authors are braced so BibTeX keeps them whole."""
    fields = [
        ("author", " and ".join(f"{{{name}}}" for name in _authors(descriptor))),
        ("title", f"{{{descriptor['title']}}}"),
        ("year", descriptor["created"][:4]),
        ("version", descriptor["version"]),
        (
            "note",
            f"Frictionless data package {descriptor['name']}, "
            f"licence {descriptor['licenses'][0]['name']}",
        ),
    ]
    if descriptor.get("homepage"):
        fields.append(("url", descriptor["homepage"]))
    key = f"{descriptor['name']}-{descriptor['version']}"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
