"""What a deployment row's URL points at, and which organisation types fit the organisation's level.

Shared by the compile step (``datasets/scripts/deployments_compile.py`` classifies every row) and by
``observatory validate`` (``checks.check_deployments`` refuses a row whose flag or type contradicts these rules), so
the two can never disagree. The vocabularies are documented in datasets/README.md ("URL kinds", "Organisation
levels").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# What the `url` column points at. Only `installation` is the live address of a running platform.
URL_KINDS: tuple[str, ...] = (
    "installation",  # the platform's own address (home page or the path it is mounted on)
    "archived_copy",  # a web-archive copy: the project itself links only an archive, the site is probably gone
    "repository",  # the installation's source-code fork (lists that give only forks)
    "proposal_page",  # one proposal/process page inside another platform, not an installation
    "article",  # a blog post, news item, service or project page about the installation
    "none",  # the list gives no address
)

_ARCHIVE = re.compile(r"^https?://(?:web\.archive\.org|web-archive-org\.translate\.goog|wayback\.archive-it\.org)/"
                      r"(?:web/)?(?:\d+/)?\d+[a-z_]*/(?P<wrapped>.+)$", re.IGNORECASE)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")
# Paths of a single participatory item inside a platform (Decidim, Consul, ...).
_PROPOSAL_PATH = re.compile(r"/(?:proposals|debates|ideas|initiatives|petitions)/\d+/?$|/f/\d+/", re.IGNORECASE)
# Paths of editorial pages (blog posts, news, service descriptions, case studies, project descriptions).
_ARTICLE_PATH = re.compile(
    r"/(?:blog|news|actualites|actualidad|noticias|content|services|case-studies|press|article|articles)/",
    re.IGNORECASE,
)


def url_kind(url: str) -> str:
    """The kind of address ``url`` is, judged from its shape only (no network)."""
    url = url.strip()
    if not url:
        return "none"
    archived = _ARCHIVE.match(url)
    if archived:  # an archive of a page is still a page; an archive of a home page is an archived copy
        inner = url_kind(re.sub(r"^(https?):/+", r"\1://", archived["wrapped"]))
        return "archived_copy" if inner == "installation" else inner
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in _CODE_HOSTS:
        return "repository"
    path = parts.path or "/"
    if _PROPOSAL_PATH.search(path):
        return "proposal_page"
    if _ARTICLE_PATH.search(path + "/"):
        return "article"
    return "installation"


# Organisation level vocabulary: words in an organisation's name (any of the listed languages) that fix its
# level, and the organisation types compatible with that level. First match wins, so parliaments come before
# governments ("Parliament of X" is a parliament, not a government).
LEVEL_VOCABULARY: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("international",
     r"\beuropean commission|\beuropean union|\bcommission europ[ée]enne|\bunited nations|\bunesco\b|\boecd\b|"
     r"\bfuture of europe",
     frozenset({"other", "ngo"})),
    ("parliament",
     r"\bparliament|\bparlament|\bparlement|\bparlamento|assembl[ée]e nationale|\bs[ée]nat\b|\bsenado\b|\bsenate\b|"
     r"\bbundestag|\bde kamer\b|\bkamer van|congreso de los diputados|c[áa]mara de (?:diputados|representantes)",
     frozenset({"parliament"})),
    ("national",
     r"\bministry|\bminist[èe]re|\bministerio|\bministero|\bpresid[eê]ncia|\bpresidencia|\brep[úu]blica\b|"
     r"\br[ée]publique fran|\bnational government|\bgovernment of (?:the )?(?:united|republic)|"
     r"\bagence nationale|\bcommission nationale|\bcour des? comptes|\bgoverno italia|\bgobierno de (?:la )?"
     r"(?:argentina|colombia|espa[ñn]a|m[ée]xico|chile|per[úu]|uruguay|paraguay)\b|\bplan nacional\b|"
     r"\bfederal government|\bbundesregierung|\bspf\b|\bfod\b|\bfederale overheidsdienst|\bservice public f[ée]d[ée]ral",
     frozenset({"national_government", "parliament"})),
    ("region",
     r"\bd[ée]partement\b|\bconseil d[ée]partemental|\bcounty council\b|\bprovincie\b|\bprovincia\b|"
     r"\bdiputaci[óo]n?\b|\bcabildo\b|\bgeneralitat\b|\br[ée]gion\b|\bregione\b|\bgobernaci[óo]n\b|"
     r"\bcomunidad aut[óo]noma|\bbundesland|\blandkreis\b|\bkreis\b|\bcanton\b|\bkanton\b",
     frozenset({"region", "parliament", "university", "ngo", "company", "other"})),
    ("municipality",
     r"\bmairie\b|\bville de\b|\bayuntamiento\b|\bajuntament\b|\bconcello\b|\bcity council\b|\bcity of\b|"
     r"\bgemeente\b|\bgemeinde\b|\bkommune\b|\bkommun\b|\bmunicipalidad\b|\bmunicipio\b|\bprefeitura\b|"
     r"\bcomune di\b|\bstadt\b|\bbelediyesi\b|\bintendencia\b",
     frozenset({"municipality", "parliament", "company", "ngo", "other", "university"})),
)


# The organisation type a row gets when its name fixes a level its source's type contradicts.
LEVEL_DEFAULT_TYPE: dict[str, str] = {
    "international": "other", "parliament": "parliament", "national": "national_government", "region": "region",
    "municipality": "municipality",
}


def level_of(name: str) -> tuple[str, frozenset[str]] | None:
    """(level, compatible organisation types) the name's wording fixes, or None when it says nothing."""
    text = name.lower()
    for level, pattern, types in LEVEL_VOCABULARY:
        if re.search(pattern, text):
            return level, types
    return None


def level_problem(name: str, organisation_type: str) -> str | None:
    """A message when ``organisation_type`` contradicts the level the organisation's name states."""
    found = level_of(name)
    if found is None or organisation_type in found[1]:
        return None
    level, types = found
    return (f"organisation {name!r} is {level}-level by its name, but organisation_type is {organisation_type!r} "
            f"(expected one of {', '.join(sorted(types))})")


def url_kind_problem(url: str, declared: str) -> str | None:
    """A message when the declared url_kind hides what the URL's shape shows (e.g. a proposal page as installation)."""
    if declared not in URL_KINDS:
        return f"url_kind {declared!r} is not one of {', '.join(URL_KINDS)}"
    seen = url_kind(url)
    if declared == "installation" and seen != "installation":
        return f"url {url!r} looks like a {seen.replace('_', ' ')}, not an installation: flag it in url_kind"
    if declared == "none" and url.strip():
        return "url_kind is 'none' but a url is given"
    if declared != "none" and not url.strip():
        return f"url_kind is {declared!r} but no url is given"
    return None
