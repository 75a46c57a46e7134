"""The exact knapsack dynamic programme of ``optimal.py``, compiled (numba): one pass per project.

The recurrence is the one numpy ran before, cell for cell: ``best[s]`` is the most approvals of a
selection costing exactly ``s`` (-1: none), a project improves a cell only when strictly better, and that
decision is the cell's back-tracking bit. Compiled, a cell costs about a nanosecond instead of the dozen
of six whole-array numpy passes per project, which made ``max-budget`` the bulk of a whole-Pabulib study.
Cells above the largest reachable sum are skipped (they cannot change: nothing reaches them yet).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def fill(costs: np.ndarray, support: np.ndarray, budget: int, best: np.ndarray, keep: np.ndarray) -> None:
    """Run the programme in place: ``best`` (-1 but ``best[0] = 0``) and ``keep`` (zeros, one bit per cell,
    most significant bit first, as ``np.packbits``) are filled."""
    reach = 0  # the largest sum any selection of the projects seen so far can cost
    for i in range(len(costs)):
        c = costs[i]
        if c > budget:
            continue
        gain = support[i]
        top = min(budget, reach + c)
        row = keep[i]
        for s in range(top, c - 1, -1):  # downwards: best[s - c] is still the value without project i
            prev = best[s - c]
            if prev >= 0 and prev + gain > best[s]:
                best[s] = prev + gain
                row[s >> 3] |= np.uint8(0x80 >> (s & 7))
        reach = top
