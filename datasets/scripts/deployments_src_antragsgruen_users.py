"""Reader for the "who uses it" passages of Antragsgrün's own home pages (CatoTH/antragsgruen).

The project's hosted sites render their home page from the repository: discuss.green (`plugins/green_manager/
views/manager/index.php`, section "Who is already using it?") and motion.tools (`plugins/antragsgruen_sites/
views/manager/index_en.php`, "Many organizations are already using the tool ..."). Each entry below is one
organisation named there, with the line that names it (the reader refuses to compile when a line is gone);
the address is the installation the page links, else none (a link to the organisation's own site is not an
installation). Types and countries are curated from the page's wording (reason beside each).
"""

from __future__ import annotations

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "CatoTH/antragsgruen"
SOURCE_ID = "dep-antragsgruen-users"
_GREEN = "plugins/green_manager/views/manager/index.php"
_SITES_EN = "plugins/antragsgruen_sites/views/manager/index_en.php"

# (file, text of the line, organisation, installation address, type, country, why)
_USERS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (_GREEN, 'href="https://motiontool.europeangreens.eu/"', "European Green Party", "https://motiontool.europeangreens.eu/",
     "political_party", "", "'European Greens, EGP Online Congress'; European party, no single country"),
    (_GREEN, 'href="https://antraege.gruene.de/"', "Bündnis 90/Die Grünen", "https://antraege.gruene.de/",
     "political_party", "DE", "'Federal Convention' of the German Greens (.de domain)"),
    (_GREEN, 'href="https://gruene-wien.antragsgruen.de/"', "Die Grünen Wien", "https://gruene-wien.antragsgruen.de/",
     "political_party", "AT", "'the Greens in Vienna'"),
    (_GREEN, 'href="https://edinburghgreens.discuss.green/"', "Edinburgh Greens",
     "https://edinburghgreens.discuss.green/", "political_party", "GB", "'the Greens in ... Edinburgh'"),
    (_GREEN, "the Austrian NEOS", "NEOS", "", "political_party", "AT", "'the Austrian NEOS'"),
    (_GREEN, "the Dutch Volt", "Volt Nederland", "", "political_party", "NL", "'the Dutch Volt'"),
    (_GREEN, 'href="https://yfj-votes.motion.tools/"', "European Youth Forum", "https://yfj-votes.motion.tools/",
     "ngo", "", "'civil organizations like the European Youth Forum'; European umbrella, no single country"),
    (_GREEN, 'href="https://ga.cdnee.org"', "Cooperation & Development Network Eastern Europe", "https://ga.cdnee.org",
     "ngo", "", "regional network (Eastern Europe), no single country"),
    (_SITES_EN, 'href="https://volteuropa.org/">Volt Europa', "Volt Europa", "", "political_party", "",
     "European party, no single country; the link is the party's own site"),
    (_SITES_EN, "National Council of German Women", "Deutscher Frauenrat (National Council of German Women's "
     "Organizations)", "", "ngo", "DE", "'National Council of German Women's Organizations'"),
)


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One row per organisation the home pages name."""
    texts = {path: snapshot.read_text(path).splitlines() for path in (_GREEN, _SITES_EN)}
    rows = []
    for path, needle, organisation, url, org_type, country, why in _USERS:
        line = next((number for number, text in enumerate(texts[path], start=1) if needle in text), None)
        if line is None:
            raise ValueError(f"{path}: no line with {needle!r} any more ({organisation}); re-check the page")
        rows.append(Deployment(
            tool_id="antragsgruen", organisation=organisation, organisation_type=org_type,
            organisation_type_method="manual", url=url, country=country,
            country_method="manual" if country else "", source_url=f"{snapshot.permalink(path)}#L{line}",
            source_commit=snapshot.commit, source_id=SOURCE_ID, source_status="current",
            country_from_domain=False, locator=f"{path}:{line} ({why})",
        ))
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Antragsgrün home pages: who is already using it",
        url=f"https://github.com/{REPO}/tree/{snapshot.commit}/plugins",
        publisher="Antragsgrün (antragsgruen repository: discuss.green and motion.tools home pages)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE)",
        notes="Organisations the project's own home pages name as users, with the installation they link where "
        "they link one; the page also mentions 'dozens of other green organizations' without naming them.",
    )
