"""The one seam for deployment lists: a source = one `deployments_src_*.py` module registered here.

Each module exposes `REPO` ("owner/name" of the public repository it reads), `read(snapshot)` returning
candidate rows, and `describe(snapshot)` returning its sources.csv row. The compile script gets one
`--<option> DIR` argument per entry (the snapshot's git directory).
"""

from __future__ import annotations

from types import ModuleType

import deployments_src_adhocracy_plus
import deployments_src_consulproject
import deployments_src_decidim_org
import deployments_src_democracyos
import deployments_src_fixmystreet
import deployments_src_meinberlin
import deployments_src_openstad
import deployments_src_polis_open_data
import deployments_src_your_priorities

# option name -> reader module
SOURCES: dict[str, ModuleType] = {
    "decidim-org": deployments_src_decidim_org,
    "openstad": deployments_src_openstad,
    "democracyos": deployments_src_democracyos,
    "consulproject": deployments_src_consulproject,
    "your-priorities": deployments_src_your_priorities,
    "polis-open-data": deployments_src_polis_open_data,
    "adhocracy-plus": deployments_src_adhocracy_plus,
    "fixmystreet": deployments_src_fixmystreet,
    "meinberlin": deployments_src_meinberlin,
}
