"""The winners the file itself declares (``selected`` = 1)."""

from __future__ import annotations

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import RuleNotApplicable


def actual(election: Election) -> list[int]:
    codes = election.declared_selected
    if codes is None:
        raise RuleNotApplicable(f"{election.file_name or 'election'} has no 'selected' column")
    return [int(i) for i in np.flatnonzero(codes == 1)]
