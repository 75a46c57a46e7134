"""What licence a file states, as an SPDX expression: licence texts and package-manifest fields.

Licence texts are matched on the phrases that identify each licence in this landscape (a small text
matcher, not a full scanner: anything else is ``NOASSERTION``). GNU texts are ``-only`` unless the file
grants "any later version" outside the licence's own "How to Apply" appendix, which every copy carries.
Manifest fields are parsed with ``license-expression``; deprecated ids (``GPL-3.0``, ``AGPL-3.0+``) are
written in their current SPDX form, as the catalogue does.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache

import yaml

NOASSERTION = "NOASSERTION"
UNREADABLE = "unreadable"   # a manifest that cannot be parsed at this commit (conflict markers, a variable)
PROPRIETARY = "LicenseRef-Proprietary"
LICENCE_FILE = re.compile(r"^(licen[cs]e|copying|unlicense)([.-][\w.-]*)?$", re.IGNORECASE)
MANIFESTS = ("package.json", "composer.json", "pyproject.toml", "setup.py", "setup.cfg", "publiccode.yml",
             "publiccode.yaml")
_DEPRECATED = {"GPL-2.0": "GPL-2.0-only", "GPL-3.0": "GPL-3.0-only", "AGPL-3.0": "AGPL-3.0-only",
               "LGPL-2.1": "LGPL-2.1-only", "LGPL-3.0": "LGPL-3.0-only", "LGPL-2.0": "LGPL-2.0-only",
               "GPL-2.0+": "GPL-2.0-or-later", "GPL-3.0+": "GPL-3.0-or-later", "AGPL-3.0+": "AGPL-3.0-or-later",
               "LGPL-2.1+": "LGPL-2.1-or-later", "LGPL-3.0+": "LGPL-3.0-or-later", "AGPLV3": "AGPL-3.0-only",
               "GPLV3": "GPL-3.0-only", "GPLV2": "GPL-2.0-only", "APACHE 2.0": "Apache-2.0",
               "APACHE-2": "Apache-2.0", "BSD": "BSD-3-Clause", "MIT LICENSE": "MIT", "GPL2+": "GPL-2.0-or-later",
               "GPL3+": "GPL-3.0-or-later", "AGPL3+": "AGPL-3.0-or-later", "PROPRIETARY": PROPRIETARY,
               "UNLICENSED": PROPRIETARY}
_GNU = (("gnu affero general public license", "AGPL"), ("gnu lesser general public license", "LGPL"),
        ("gnu library general public license", "LGPL"), ("gnu general public license", "GPL"))
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([^\n*]+)")


def is_licence_file(path: str) -> bool:
    return "/" not in path and bool(LICENCE_FILE.match(path))


def is_manifest(path: str) -> bool:
    return "/" not in path and (path in MANIFESTS or path.endswith(".gemspec"))


@cache
def _licensing():  # noqa: ANN202 - library object
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def normalise(expression: str) -> str:
    """A manifest's licence value as a current SPDX expression (NOASSERTION when unparseable)."""
    value = expression.strip().strip("()").strip()
    if not value:
        return NOASSERTION
    upper = value.upper()
    for old, new in _DEPRECATED.items():
        if upper == old.upper():
            return new
    tokens = re.split(r"(\s+(?:OR|AND|WITH)\s+|[()])", value)
    value = "".join(_DEPRECATED.get(t.strip(), t) if t.strip() else t for t in tokens)
    try:
        parsed = _licensing().parse(value, validate=True)
    except Exception:  # noqa: BLE001 - license-expression raises several error types
        return NOASSERTION
    return str(parsed) if parsed is not None else NOASSERTION


def from_text(text: str) -> str:
    """SPDX id of a licence file's text (see module docstring)."""
    tag = _SPDX_TAG.search(text)
    if tag:
        return normalise(tag.group(1))
    flat = re.sub(r"\s+", " ", text).lower()
    # The first GNU title named wins: the GPL v2 text itself mentions the "Library" GPL further down.
    named = sorted((flat.find(p), f) for p, f in _GNU if 0 <= flat.find(p) < 3000)
    if named:
        family = named[0][1]
        head = flat[:3000]
        version = "3.0" if re.search(r"version 3\b", head) else (
            "2.1" if family == "LGPL" and "version 2.1" in head else "2.0")
        # A full licence text speaks of "any later version" itself (revised versions, appendix):
        # only a notice above the text, or a notice file without the text, grants it.
        notice = flat.split("preamble")[0] if "preamble" in flat else flat
        notice = notice.split("version 3, 19 november")[0].split("version 2, june 1991")[0]
        later = bool(re.search(r"(any later version|or[ -]later|\+)", notice))
        return f"{family}-{version}-{'or-later' if later else 'only'}"
    if "mozilla public license" in flat and "2.0" in flat[:300]:
        return "MPL-2.0"
    if "european union public licen" in flat:
        return "EUPL-1.2" if "1.2" in flat[:500] else "EUPL-1.1"
    if "apache license" in flat and "version 2.0" in flat:
        return "Apache-2.0"
    if "permission is hereby granted, free of charge" in flat:
        return "MIT"
    if "permission to use, copy, modify, and/or distribute this software for any purpose" in flat:
        return "ISC"
    if "redistribution and use in source and binary forms" in flat:
        return "BSD-3-Clause" if "neither the name" in flat or "names of its contributors" in flat else "BSD-2-Clause"
    if "this is free and unencumbered software released into the public domain" in flat:
        return "Unlicense"
    return NOASSERTION


def from_manifest(path: str, text: str) -> str | None:
    """The licence field of a manifest (None when the manifest has none)."""
    try:
        if path in ("package.json", "composer.json"):
            return _from_json(json.loads(text))
        if path == "pyproject.toml":
            return _from_pyproject(tomllib.loads(text))
        if path.startswith("publiccode."):
            data = yaml.safe_load(text) or {}
            value = (data.get("legal") or {}).get("license") if isinstance(data, dict) else None
            return normalise(str(value)) if value else None
    except (ValueError, TypeError, yaml.YAMLError, AttributeError):
        return UNREADABLE
    if path.endswith(".gemspec"):
        found = re.search(r"\.licen[cs]es?\s*=\s*\[?\s*([^\]\n]+)", text)
        return _joined(re.findall(r"['\"]([^'\"]+)['\"]", found.group(1))) if found else None
    if path == "setup.py":
        if not re.search(r"\blicense\s*=", text):
            return None
        found = re.search(r"\blicense\s*=\s*['\"]([^'\"]+)['\"]", text)
        return normalise(found.group(1)) if found else UNREADABLE
    if path == "setup.cfg":
        found = re.search(r"^\s*license\s*=\s*(\S[^\n]*)", text, re.MULTILINE)
        return normalise(found.group(1)) if found else None
    return None


def _joined(values: list[str]) -> str | None:
    parts = [normalise(v) for v in values if v.strip()]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " OR ".join(f"({p})" if " " in p else p for p in parts)


def _from_json(data: object) -> str | None:
    if not isinstance(data, dict):
        return None
    value = data.get("license", data.get("licenses"))
    if value is None:
        return None
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, dict):
        return normalise(str(value.get("type", "")))
    if isinstance(value, list):
        return _joined([v if isinstance(v, str) else str((v or {}).get("type", "")) for v in value])
    return NOASSERTION


def _from_pyproject(data: dict) -> str | None:
    project = data.get("project") or data.get("tool", {}).get("poetry") or {}
    value = project.get("license")
    if isinstance(value, dict):
        value = value.get("text") or None
    return normalise(str(value)) if value else None
