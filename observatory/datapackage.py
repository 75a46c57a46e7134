"""A curated Frictionless data package on disk, its resources, and the problems found in them.

These types are shared by the loader (:mod:`observatory.datasets`) and every check module
(:mod:`observatory.checks`, :mod:`observatory.catalogue_checks`, ...): they live here, below both, so
the checks no longer import the loader that imports them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    """One problem, printed as ``file:row:field: message`` (row 1 is the CSV header)."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row if self.row is not None else '-'}:{self.field or '-'}: {self.message}"


class DatasetError(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Resource:
    package: DataPackage
    name: str
    path: Path
    descriptor: dict

    @property
    def schema(self) -> dict:
        return self.descriptor.get("schema", {})

    @property
    def display_path(self) -> str:
        return self.package.display(self.path)

    def read_rows(self) -> tuple[list[str], list[dict[str, str]]]:
        """Header and rows as strings (row i of the list is CSV row i + 2)."""
        with self.path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows


@dataclass
class DataPackage:
    path: Path  # folder holding datapackage.json
    root: Path  # folder paths are displayed relative to
    descriptor: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, root: Path) -> DataPackage:
        descriptor_path = folder / "datapackage.json"
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DatasetError([Issue(cls._rel(descriptor_path, root), exc.lineno, None, f"invalid JSON: {exc.msg}")]) from exc
        return cls(folder, root, descriptor)

    @staticmethod
    def _rel(path: Path, root: Path) -> str:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            return str(path)

    def display(self, path: Path) -> str:
        return self._rel(path, self.root)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.path.name))

    @property
    def resources(self) -> list[Resource]:
        return [
            Resource(self, r["name"], self.path / r["path"], r)
            for r in self.descriptor.get("resources", [])
        ]

    @property
    def licence(self) -> str:
        return ", ".join(lic.get("name") or lic.get("title", "") for lic in self.descriptor.get("licenses", []))

    @property
    def source_summary(self) -> str:
        return "; ".join(
            " ".join(x for x in (s.get("title", ""), s.get("path", "")) if x) for s in self.descriptor.get("sources", [])
        )


def discover_packages(datasets_dir: Path) -> list[DataPackage]:
    root = datasets_dir.parent
    folders = sorted(p.parent for p in datasets_dir.glob("*/datapackage.json"))
    return [DataPackage.load(folder, root) for folder in folders]
