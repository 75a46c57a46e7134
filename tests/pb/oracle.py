"""How each rule compared with pabutools treats a zero-cost project, stated once for the oracle tests.

pabutools' outcomes on the shared files are stored in ``pabutools_outcomes.json`` (``pabutools_outcomes.py``).
"""

# What each compared rule stands for in pabutools, and so how it treats a zero-cost project that has
# supporters (docs/pb.md, "Zero-cost projects"). Cost satisfaction gives such a project satisfaction 0:
# it has no supporters for MES and density 0 (last) for greedy; cardinality satisfaction gives it
# infinite density (first). Our rules follow the same definitions, so selections are compared as they are.
SATISFACTION = {
    "greedy": "Cost_Sat: a free project has density 0 (ordered last, always fits: selected)",
    "greedy-ratio": "Cardinality_Sat: a supported free project has infinite density (first: selected)",
    "mes": "Cost_Sat: a free project gives satisfaction 0, has no supporters, is never bought",
    "mes-add1": "Cost_Sat: as mes; exhaustiveness is checked against the projects MES can buy",
    "mes-add1-greedy": "Cost_Sat: mes-add1, then the greedy completion takes the free project (it fits)",
    "phragmen": "approval: a free project's new load is the supporters' mean load (bought when cheapest)",
    "max-supports": "Cardinality_Sat objective: a supported free project adds approvals (selected)",
}
