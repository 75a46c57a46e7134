"""Columnar election model: projects as arrays, ballots as CSR, exact budget and costs.

Rules work on numpy arrays (fast) and settle near-ties with the exact ``Fraction`` costs and budget,
so one model serves both speed and exactness. An election may also be built from vote counts only
(no ballots) for rules that need nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal", "scoring")


class NeedsBallots(ValueError):
    """Raised by a rule that needs individual ballots when the election only has vote counts."""


@dataclass
class Ballots:
    """Ballots in CSR form, entries as written in the file (duplicates and order kept).

    ``points`` holds cumulative/scoring points; for ordinal ballots the rank is the position
    inside the row (0 = most preferred), so no extra array is needed.
    """

    voter_ids: list[str]
    indptr: np.ndarray  # int64, len n_voters + 1
    indices: np.ndarray  # int32 project positions
    points: np.ndarray | None = None  # float64, aligned with indices
    voter_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n_voters(self) -> int:
        return len(self.indptr) - 1

    def row_of_entry(self) -> np.ndarray:
        """Voter position of every entry (the CSR row index, expanded)."""
        return np.repeat(np.arange(self.n_voters, dtype=np.int64), np.diff(self.indptr))


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An index and the count of each distinct row, rows in lexicographic order (as ``np.unique(axis=0)``).

    Rows of one or two words (up to 128 projects, the usual case) are sorted by one integer key: the
    rank of the first word, shifted, with the second word below it. Wider rows use a stable lexsort over
    the words, several times faster than ``np.unique(axis=0)``, which sorts a structured view of the rows.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = _row_key(rows)
    if key is None:
        order = np.lexsort(rows.T[::-1])
        ordered = rows[order]
        fresh = (ordered[1:] != ordered[:-1]).any(axis=1)
    else:
        order = np.argsort(key)
        ordered_key = key[order]
        fresh = ordered_key[1:] != ordered_key[:-1]
    starts = np.flatnonzero(np.concatenate(([True], fresh)))
    counts = np.diff(np.append(starts, len(rows)))
    return order[starts], counts


def _row_key(rows: np.ndarray) -> np.ndarray | None:
    """One integer per row, ordered as the rows are lexicographically; None when the rows need more bits."""
    if rows.shape[1] == 1:
        return rows[:, 0]
    if rows.shape[1] != 2:
        return None
    low_bits = max(int(rows[:, 1].max()).bit_length(), 1)
    if len(rows).bit_length() + low_bits > 63:
        return None
    by_first = np.argsort(rows[:, 0])
    first_sorted = rows[by_first, 0]
    rank = np.empty(len(rows), dtype=np.uint64)
    rank[by_first] = np.cumsum(np.concatenate(([0], first_sorted[1:] != first_sorted[:-1])), dtype=np.uint64)
    return (rank << np.uint64(low_bits)) | rows[:, 1]


@dataclass
class ApprovalGroups:
    """Identical approval ballots merged: one row per distinct set of approved projects, with a count.

    Rules run on groups; a city of 60,000 voters often has far fewer distinct ballots.
    """

    weights: np.ndarray  # int64 count of voters per group
    indptr: np.ndarray  # CSR over groups
    indices: np.ndarray  # sorted project positions per group
    n_ballots: int  # voters including empty ballots (they still hold a share of the budget)

    @cached_property
    def project_supporters(self) -> list[np.ndarray]:
        """Per project, the groups that approve it (the CSR transpose)."""
        rows = np.repeat(np.arange(len(self.weights)), np.diff(self.indptr))
        order = np.argsort(self.indices, kind="stable")
        cols = self.indices[order]
        rows = rows[order]
        n_projects = int(self.indices.max()) + 1 if len(self.indices) else 0
        bounds = np.searchsorted(cols, np.arange(n_projects + 1))
        return [rows[bounds[p]:bounds[p + 1]] for p in range(n_projects)]

    @cached_property
    def supporter_weights(self) -> list[np.ndarray]:
        """Per project, the voter counts of its supporting groups (float64, aligned with ``project_supporters``)."""
        w = self.weights.astype(np.float64)
        return [w[s] for s in self.project_supporters]


@dataclass
class Election:
    """One participatory-budgeting edition: META verbatim, projects, budget and ballots (if any)."""

    file_name: str
    meta: dict[str, str]
    vote_type: str
    budget: Fraction
    project_ids: list[str]
    costs: list[Fraction]
    project_columns: dict[str, list[str]] = field(default_factory=dict)
    ballots: Ballots | None = None
    count_votes: np.ndarray | None = None  # support counts when built from counts only
    # outcomes other rules build on (e.g. mes-add1 under mes-add1-greedy), computed once per election
    rule_cache: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def from_counts(cls, project_ids: list[str], costs: list, votes: list[int], budget: object,
                    file_name: str = "", vote_type: str = "approval") -> Election:
        """An election known only by per-project support counts (e.g. a Decidim projects export)."""
        if not (len(project_ids) == len(costs) == len(votes)):
            raise ValueError("project_ids, costs and votes must have the same length")
        return cls(file_name=file_name, meta={}, vote_type=vote_type, budget=Fraction(str(budget)),
                   project_ids=[str(p) for p in project_ids], costs=[Fraction(str(c)) for c in costs],
                   count_votes=np.asarray(votes, dtype=np.int64))

    # ---- projects -----------------------------------------------------------------------------
    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    @property
    def n_voters(self) -> int:
        return self.ballots.n_voters if self.ballots is not None else 0

    @cached_property
    def cost_array(self) -> np.ndarray:
        return np.array([float(c) for c in self.costs], dtype=np.float64)

    @cached_property
    def index_of(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.project_ids)}

    @cached_property
    def lexico_rank(self) -> np.ndarray:
        """Rank of each project id as a string: pabutools breaks ties on this order."""
        order = sorted(range(self.n_projects), key=lambda i: self.project_ids[i])
        rank = np.empty(self.n_projects, dtype=np.int64)
        rank[order] = np.arange(self.n_projects)
        return rank

    def column(self, name: str) -> list[str] | None:
        return self.project_columns.get(name)

    @cached_property
    def declared_selected(self) -> np.ndarray | None:
        """The file's ``selected`` codes (1 = funded; other codes kept), -1 where empty; None if absent."""
        col = self.column("selected")
        if col is None:
            return None
        out = np.full(self.n_projects, -1, dtype=np.int64)
        for i, v in enumerate(col):
            if v.strip():
                try:
                    out[i] = int(float(v))
                except ValueError:
                    out[i] = -1
        return out

    # ---- ballots ------------------------------------------------------------------------------
    def require_ballots(self, rule: str) -> Ballots:
        if self.ballots is None:
            raise NeedsBallots(f"rule {rule!r} needs individual ballots; this election only has vote counts")
        return self.ballots

    @cached_property
    def approval_groups(self) -> ApprovalGroups:
        """Approval projection (a listed project counts as approved once), identical ballots merged."""
        b = self.require_ballots("approval projection")
        n, p = b.n_voters, max(self.n_projects, 1)
        words = (p + 63) // 64
        lengths = np.diff(b.indptr)
        nonempty = lengths > 0
        rows = np.zeros((int(nonempty.sum()), words), dtype=np.uint64)  # one bit per approved project
        if len(b.indices):
            word = b.indices >> 6
            bit = np.left_shift(np.uint64(1), (b.indices & 63).astype(np.uint64))
            starts = b.indptr[:-1][nonempty]
            for w in range(words):
                # OR of the bits per ballot; reduceat avoids the slow unbuffered ufunc.at
                rows[:, w] = np.bitwise_or.reduceat(bit if words == 1 else np.where(word == w, bit, np.uint64(0)),
                                                    starts)
        first, counts = _unique_rows(rows)
        # each group's projects, sorted and without duplicates, are the set bits of its mask row
        bits = np.unpackbits(rows[first].astype("<u8").view(np.uint8), axis=1, bitorder="little")
        flat = np.flatnonzero(bits.view(bool))
        g, proj = np.divmod(flat, bits.shape[1])
        indptr = np.zeros(len(first) + 1, dtype=np.int64)
        np.cumsum(np.bincount(g, minlength=len(first)), out=indptr[1:])
        return ApprovalGroups(weights=counts.astype(np.int64), indptr=indptr,
                              indices=proj.astype(np.int64), n_ballots=n)

    @cached_property
    def approval_counts(self) -> np.ndarray:
        """Voters approving each project (duplicates on one ballot counted once)."""
        if self.ballots is None:
            if self.count_votes is None:
                raise NeedsBallots("no ballots and no vote counts")
            return self.count_votes
        g = self.approval_groups
        return np.bincount(g.indices, weights=np.repeat(g.weights, np.diff(g.indptr)),
                           minlength=self.n_projects).astype(np.int64)

    @cached_property
    def score_totals(self) -> np.ndarray:
        """Points per project: cumulative/scoring points, ordinal positional points, approvals otherwise."""
        b = self.ballots
        if b is None:
            return self.approval_counts
        if b.points is not None and self.vote_type in ("cumulative", "scoring"):
            return np.bincount(b.indices, weights=b.points, minlength=self.n_projects)
        if self.vote_type == "ordinal":
            lengths = np.diff(b.indptr)
            max_len = int(self.meta.get("max_length") or (lengths.max() if len(lengths) else 0))
            pos = np.arange(len(b.indices)) - np.repeat(b.indptr[:-1], lengths)
            return np.bincount(b.indices, weights=(max_len - pos).astype(np.float64), minlength=self.n_projects)
        return np.bincount(b.indices, minlength=self.n_projects).astype(np.float64)
