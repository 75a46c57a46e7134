"""The one seam for deployment lists: a source = one `deployments_src_*.py` module registered here.

Each reader exposes `REPO` ("owner/name" of the public repository it reads), `read(snapshot)` returning
candidate rows, and `describe(snapshot)` returning its sources.csv row; a module is a reader, and a module that
reads several small lists (one README line per project) exposes one reader object per list in `READERS`. The
compile script gets one `--<option> DIR` argument per entry (the snapshot's git directory; several options may
name the same directory).
"""

from __future__ import annotations

from typing import Protocol

import deployments_src_adhocracy_plus
import deployments_src_antragsgruen_users
import deployments_src_consul_forks
import deployments_src_consul_website
import deployments_src_consulproject
import deployments_src_decidim_org
import deployments_src_decidim_org_retired
import deployments_src_democracyos
import deployments_src_democracyos_readme
import deployments_src_fixmystreet
import deployments_src_fixmystreet_retired
import deployments_src_fixmystreet_sites
import deployments_src_mapseed
import deployments_src_meinberlin
import deployments_src_openslides_references
import deployments_src_openstad
import deployments_src_polis_open_data
import deployments_src_project_sites
import deployments_src_retired_flavors
import deployments_src_your_priorities
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot


class Reader(Protocol):
    """What the compiler needs from a list reader."""

    REPO: str

    def read(self, snapshot: GitSnapshot) -> list[Deployment]: ...

    def describe(self, snapshot: GitSnapshot) -> SourceInfo: ...


# option name -> reader
SOURCES: dict[str, Reader] = {
    "decidim-org": deployments_src_decidim_org,
    "openstad": deployments_src_openstad,
    "democracyos": deployments_src_democracyos,
    "consulproject": deployments_src_consulproject,
    "your-priorities": deployments_src_your_priorities,
    "polis-open-data": deployments_src_polis_open_data,
    "adhocracy-plus": deployments_src_adhocracy_plus,
    "fixmystreet": deployments_src_fixmystreet,
    "meinberlin": deployments_src_meinberlin,
    "consul-website": deployments_src_consul_website,
    "consul-forks": deployments_src_consul_forks,
    "openslides-references": deployments_src_openslides_references,
    "democracyos-readme": deployments_src_democracyos_readme,
    "antragsgruen-users": deployments_src_antragsgruen_users,
    "mapseed": deployments_src_mapseed,
    "fixmystreet-sites": deployments_src_fixmystreet_sites,
    "fixmystreet-retired": deployments_src_fixmystreet_retired,
    "decidim-org-retired": deployments_src_decidim_org_retired,
    **deployments_src_retired_flavors.READERS,
    **deployments_src_project_sites.READERS,
}
