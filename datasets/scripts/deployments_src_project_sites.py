"""Readers for the platforms a project's own README says it runs (one line each, one reader per repository).

Many tools publish no list of installations, but their README names the public instance the maintainer runs
("The main use for the software is the site openspending.org", "This is the code base for the UK Government and
Parliament's petitions service"). Each entry below is one such statement: the reader finds the line that gives
the address in the README at the pinned commit (the row's permalink points at that line) and refuses to compile
if the line is gone. Organisation, type and country are curated from the same README (reason beside each);
the country is left to the domain when the README does not state one.
"""

from __future__ import annotations

from dataclasses import dataclass

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot


@dataclass(frozen=True)
class StatedSite:
    """One platform address stated in a repository's README."""

    option: str
    REPO: str
    path: str
    tool_id: str
    url: str
    organisation: str
    organisation_type: str
    why: str
    country: str = ""
    country_method: str = "source"  # `source` when the README states the place, `manual` when curated (why)
    licence: str = ""
    needle: str = ""  # text of the line to cite when the README gives no address (default: the url)
    generic_domain: bool = False  # a country-code domain used as a generic name (pol.is): no country from it

    @property
    def source_id(self) -> str:
        return f"dep-{self.option}"

    def _line(self, snapshot: GitSnapshot) -> int:
        for number, line in enumerate(snapshot.read_text(self.path).splitlines(), start=1):
            if (self.needle or self.url) in line:
                return number
        raise ValueError(f"{self.REPO}:{self.path}: no line gives {self.needle or self.url!r} any more; "
                         "re-check the README")

    def read(self, snapshot: GitSnapshot) -> list[Deployment]:
        line = self._line(snapshot)
        return [Deployment(
            tool_id=self.tool_id,
            organisation=self.organisation,
            organisation_type=self.organisation_type,
            organisation_type_method="manual",
            url=self.url,
            country=self.country,
            country_method=self.country_method if self.country else "",
            source_url=f"{snapshot.permalink(self.path)}#L{line}",
            source_commit=snapshot.commit,
            source_id=self.source_id,
            source_status="current",
            country_from_domain=not self.generic_domain,
            locator=f"{self.REPO}:{self.path}:{line}",
        )]

    def describe(self, snapshot: GitSnapshot) -> SourceInfo:
        return SourceInfo(
            source_id=self.source_id,
            title=f"{self.REPO} {self.path}: the platform the project runs",
            url=f"{snapshot.permalink(self.path)}#L{self._line(snapshot)}",
            publisher=f"{self.REPO.split('/')[0]} ({self.REPO.split('/')[1]} repository)",
            kind="list",
            source_commit=snapshot.commit,
            licence=self.licence,
            notes=self.why,
        )


_SITES: tuple[StatedSite, ...] = (
    StatedSite("e-petitions", "alphagov/e-petitions", "README.md", "e-petitions", "https://petition.parliament.uk",
               "UK Parliament petitions service", "parliament",
               "README: 'the code base for the UK Government and Parliament's petitions service' (link target).",
               licence="MIT (repository LICENSE)"),
    StatedSite("rahvaalgatus", "rahvaalgatus/rahvaalgatus", "README.md", "rahvaalgatus", "https://rahvaalgatus.ee",
               "Rahvaalgatus (Estonian citizens' initiative platform)", "ngo",
               "README: 'The website of https://rahvaalgatus.ee'. Country from the .ee domain.",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("talk-to-the-city", "AIObjectives/tttc-light-js", "README.md", "talk-to-the-city",
               "https://talktothe.city/", "AI Objectives Institute (Talk to the City)", "ngo",
               "README: 'Try it live: https://talktothe.city/'; the project page is on ai.objectives.institute. "
               "No country stated.", licence="see repository LICENSE"),
    StatedSite("openspending", "openspending/openspending", "README.md", "openspending", "http://openspending.org",
               "OpenSpending (openspending.org)", "ngo",
               "README: 'The main use for the software is the site openspending.org'. International, no country.",
               licence="MIT (repository LICENSE)"),
    StatedSite("agora-voting", "agoravoting/agora-ciudadana", "README.md", "agora-voting", "https://agoravoting.com",
               "Agora Voting (agoravoting.com)", "company",
               "README: 'You can see a live version of Agora here'. No country stated.",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("sovereign", "DemocracyEarth/sovereign", "README.md", "sovereign", "https://democracy.earth",
               "Democracy Earth Foundation", "ngo", "README section 'Live': Democracy Earth. No country stated.",
               licence="MIT (repository LICENSE)"),
    StatedSite("all-our-ideas", "allourideas/allourideas.org", "README.markdown", "all-our-ideas",
               "http://www.allourideas.org/", "All Our Ideas (allourideas.org)", "other",
               "README: 'This codebase runs two sites photocracy.org and allourideas.org'.",
               licence="see repository LICENSE"),
    StatedSite("all-our-ideas-photocracy", "allourideas/allourideas.org", "README.markdown", "all-our-ideas",
               "http://www.photocracy.org/", "Photocracy (photocracy.org)", "other",
               "README: 'This codebase runs two sites photocracy.org and allourideas.org'.",
               licence="see repository LICENSE"),
    StatedSite("antragsgruen", "CatoTH/antragsgruen", "README.md", "antragsgruen", "https://antragsgruen.de",
               "Antragsgrün hosted service (German)", "company",
               "README 'Using the hosted version': German at antragsgruen.de (the maintainer's hosted service).",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("antragsgruen-motion-tools", "CatoTH/antragsgruen", "README.md", "antragsgruen", "https://motion.tools",
               "Antragsgrün hosted service (motion.tools, English)", "company",
               "README 'Using the hosted version': English at motion.tools.", licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("antragsgruen-discuss-green", "CatoTH/antragsgruen", "README.md", "antragsgruen",
               "https://discuss.green", "Antragsgrün hosted service (discuss.green, for green parties)", "company",
               "README 'Using the hosted version': English, French, Dutch, Catalan at discuss.green.",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("dipas", "citysciencelab/dipas-unitac", "README.md", "dipas", "",
               "Freie und Hansestadt Hamburg (Stadtwerkstatt)", "municipality",
               "README 'Contributors': created under the leadership of Hamburg's Stadtwerkstatt (hamburg.de), which "
               "runs DIPAS for the city's participation procedures; no instance address given. Country curated: "
               "Hamburg is a German city-state.", country="DE", country_method="manual", needle="Stadtwerkstatt",
               licence="see repository LICENSE"),
    StatedSite("airesis", "coorasse/Airesis", "README.md", "airesis", "https://www.airesis.eu",
               "Airesis (www.airesis.eu)", "ngo", "README 'Reference website': www.airesis.eu.",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("airesis-it", "coorasse/Airesis", "README.md", "airesis", "https://www.airesis.it",
               "Airesis (www.airesis.it)", "ngo", "README 'Reference website': www.airesis.it (Italian site).",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("vocdoni", "vocdoni/vocdoni-node", "README.md", "vocdoni", "https://vocdoni.app",
               "Vocdoni (vocdoni.app web application)", "ngo",
               "README 'More About Us': the Web Application at vocdoni.app, run by the project. No country stated.",
               licence="AGPL-3.0 (repository LICENSE)"),
    StatedSite("madison", "opengovfoundation/madison", "README.md", "madison", "https://mymadison.io",
               "OpenGov Foundation (mymadison.io)", "ngo",
               "README 'User Guide': the engagement guide on mymadison.io, the project's hosted Madison; the "
               "row's url is the site's root. No country stated.", needle="https://mymadison.io/",
               licence="GPL-3.0 (repository LICENSE)"),
    StatedSite("polis-main", "compdemocracy/polis", "README.md", "polis", "https://pol.is",
               "The Computational Democracy Project (pol.is)", "ngo",
               "README: 'the main deployment of Polis is at https://pol.is'. No country stated (.is is used as a "
               "generic name here, so no country from the domain).", generic_domain=True,
               licence="AGPL-3.0 (repository LICENSE)"),
)

# option -> reader (several options may point at one snapshot directory)
READERS: dict[str, StatedSite] = {site.option: site for site in _SITES}
