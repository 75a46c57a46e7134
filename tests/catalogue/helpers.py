"""Small CSV edits on a copied package, so each test starts from the shipped rows and changes one thing."""

from __future__ import annotations

import csv
from pathlib import Path


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(path: Path, key_field: str, key: str, **values: str) -> None:
    header, rows = read(path)
    hits = [r for r in rows if r[key_field] == key]
    assert len(hits) == 1, f"{key!r} not found once in {path.name}"
    hits[0].update(values)
    write(path, header, rows)


def row(path: Path, key_field: str, key: str) -> dict[str, str]:
    return next(r for r in read(path)[1] if r[key_field] == key)
