"""Compile the country outlines the dashboard's offline map draws, from Natural Earth 1:110m.

Input: ``countries-110m.json`` of the ``world-atlas`` npm package (TopoJSON of Natural Earth's
public-domain 1:110m Admin 0 countries). Output: ``datasets/geo/countries-110m.geojson``, one feature
per country keyed by ISO 3166-1 alpha-2 (from the numeric id, with pycountry), rings as plain
longitude/latitude lists rounded to 0.01 degree. Deterministic: the same input gives the same bytes.

    python datasets/scripts/geo_compile.py PATH/TO/countries-110m.json --source-version 2.0.2
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "geo" / "countries-110m.geojson"
# Natural Earth areas without an ISO numeric id in world-atlas (id missing): keep them out of the join,
# they still draw. Kosovo has the user-assigned code XK, used by the deployments dataset too.
NAME_TO_A2 = {"Kosovo": "XK", "N. Cyprus": None, "Somaliland": None}


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Delta-decoded, de-quantised arcs (TopoJSON spec, section 2.1.2)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(points if not ring else points[1:])  # consecutive arcs share their end point
    return [list(p) for p in ring]


def _alpha2(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if name in NAME_TO_A2:
        return NAME_TO_A2[name]
    country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3))
    return country.alpha_2 if country else None


def compile_geojson(topo: dict, source: str) -> dict:
    arcs = _decode_arcs(topo)
    features = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [[_ring(r, arcs) for r in polygon] for polygon in polygons]
        features.append({"type": "Feature", "id": _alpha2(geometry),
                         "properties": {"name": geometry["properties"]["name"], "iso_a2": _alpha2(geometry)},
                         "geometry": {"type": "MultiPolygon", "coordinates": rings}})
    features.sort(key=lambda f: (f["id"] or "~", f["properties"]["name"]))
    return {"type": "FeatureCollection", "source": source, "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path)
    parser.add_argument("--source-version", required=True, help="world-atlas package version read")
    args = parser.parse_args()
    raw = args.topojson.read_bytes()
    source = (f"world-atlas {args.source_version} (npm), countries-110m.json sha256 "
              f"{hashlib.sha256(raw).hexdigest()}; Natural Earth 1:110m Admin 0 countries (public domain)")
    geojson = compile_geojson(json.loads(raw), source)
    OUT.write_text(json.dumps(geojson, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(geojson['features'])} countries to {OUT.name}")


if __name__ == "__main__":
    main()
