"""Pabulib ``.pb`` reader and writer.

``parse_string`` reads four parts, each in its own function: META (``_read_meta``), PROJECTS
(``_read_projects``), VOTES (``_read_votes``) and the cross-checks between them (``_cross_check``).
Sections are read with the ``csv`` module (``;`` delimiter, standard quoting) because real files quote
fields that contain ``;`` and ``""``; a plain ballot section (no quotes, no whitespace, one width: the
usual big one) is split at once and its ids parsed by numpy, with guards that fall back to the row-by-row
reading on anything else, so both give the same result. Ballots are turned into CSR arrays.
Bad input raises :class:`PabulibError` naming file, line and field (``strict=True``) or is recorded
as a :class:`Problem` while everything sound is still loaded (``strict=False``).
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import repeat
from pathlib import Path

import numpy as np

from observatory.pb.ballot_columns import read_plain_ballots
from observatory.pb.model import VOTE_TYPES, Ballots, Election
from observatory.problems import Problem

SECTIONS = ("meta", "projects", "votes")
_SPACE = re.compile(r"\s")  # the characters str.strip() removes
_SPACE_IN_LINE = re.compile(r"[^\S\n]")
REQUIRED_META = ("num_projects", "num_votes", "budget", "vote_type")
TEXT_COLUMNS = ("name", "category", "beneficiaries", "description", "neighborhood", "subunit", "district",
                "target", "proposer")




class PabulibError(ValueError):
    """A file that cannot be loaded as it is; carries the first problem's location."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.file, self.line, self.field = problem.file, problem.line, problem.field


@dataclass
class ParseResult:
    election: Election
    problems: list[Problem]


class _Reporter:
    def __init__(self, file_name: str, strict: bool) -> None:
        self.file_name, self.strict, self.problems = file_name, strict, []

    def __call__(self, line: int, field: str, message: str, fatal: bool = False) -> None:
        problem = Problem(self.file_name, line, field, message)
        if self.strict or fatal:
            raise PabulibError(problem)
        self.problems.append(problem)


def _to_fraction(text: str) -> Fraction:
    return Fraction(text.strip().replace(",", "."))


def _split_sections(lines: list[str], report: _Reporter) -> dict[str, tuple[int, list[str]]]:
    """Line number (1-based) of each section header and the lines after it, up to the next section."""
    starts = _section_starts(lines)
    for name in SECTIONS:
        if name not in starts:
            report(len(lines), name.upper(), f"section {name.upper()} is missing (truncated file?)", fatal=True)
    if sorted(starts, key=starts.__getitem__) != list(SECTIONS):
        report(1, "sections", "sections must come in the order META, PROJECTS, VOTES", fatal=True)
    ends = [starts["projects"] - 1, starts["votes"] - 1, len(lines)]  # each section stops at the next header
    return {name: (starts[name], lines[starts[name]:end]) for name, end in zip(SECTIONS, ends, strict=True)}


def _is_header(line: str, name: str) -> bool:
    return line.strip().strip(";").strip().lower() == name


class _Body:
    """A section's text kept whole (the ballots of a big file): split into lines only if the fast
    column-wise reading declines it. ``encoded`` is its UTF-8 when the file's bytes are at hand."""

    def __init__(self, raw: str, encoded: bytes | None = None) -> None:
        self.raw, self._encoded = raw, encoded

    def utf8(self) -> bytes | None:
        """The section's UTF-8 bytes (None for text that has none, e.g. a lone surrogate)."""
        if self._encoded is None:
            try:
                self._encoded = self.raw.encode("utf-8")
            except UnicodeEncodeError:
                return None
        return self._encoded

    @cached_property
    def lines(self) -> list[str]:
        return self.raw.splitlines()

    def plain_text(self) -> str | None:
        """The text with "\n" line breaks and no final one, when that is all ``splitlines`` would split on."""
        text = self.raw.replace("\r\n", "\n") if "\r" in self.raw else self.raw
        text = text[:-1] if text.endswith("\n") else text
        return None if "\r" in text else text  # other line breaks are whitespace: the caller declines them


def _split_at_votes(text: str, source: tuple[bytes, int] | None = None
                    ) -> dict[str, tuple[int, list[str] | _Body]] | None:
    """Sections without splitting the ballots into lines: the VOTES header is found by searching its usual
    spellings, and only the text before it is split. None when anything is unusual (then every line is
    scanned as usual), so the outcome is always that of :func:`_split_sections`. ``source`` is the file's
    bytes and where ``text`` starts in them: the ballots' bytes are then cut out, not encoded again."""
    at = _votes_header(text)
    if at is None:
        return None
    head_end, body_start = at
    head = text[:head_end].splitlines()
    starts = _section_starts(head)
    if "votes" in starts or "meta" not in starts or "projects" not in starts or starts["meta"] > starts["projects"]:
        return None
    return {"meta": (starts["meta"], head[starts["meta"]:starts["projects"] - 1]),
            "projects": (starts["projects"], head[starts["projects"]:]),
            "votes": (len(head) + 1, _Body(text[body_start:], _bytes_from(source, text, body_start)))}


def _bytes_from(source: tuple[bytes, int] | None, text: str, at: int) -> bytes | None:
    """The bytes of ``text[at:]`` cut from the file (UTF-8 decoding is one to one, so the prefix's length
    in bytes says where)."""
    if source is None:
        return None
    data, start = source
    return data[start + len(text[:at].encode("utf-8")):]


def _votes_header(text: str) -> tuple[int, int] | None:
    """Where the first line reading VOTES (as written, in capitals or with one capital) starts and where
    the line after it starts; None if there is none or its line is not plainly delimited by "\n"."""
    found: list[tuple[int, int]] = []
    for spelling in ("VOTES", "votes", "Votes"):
        limit = min(found)[0] if found else len(text)  # only an earlier header matters
        pos = text.find(spelling, 0, limit)
        while pos != -1:
            start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
            line = text[start:end] if end != -1 else ""
            core = line[:-1] if line.endswith("\r") else line  # no other line break inside (they count too)
            if len(line) <= 40 and len((core + ".").splitlines()) == 1 and _is_header(line, "votes"):
                found.append((start, end + 1))
                break
            pos = text.find(spelling, pos + 1, limit) if end != -1 else -1
    return min(found) if found else None


def _section_starts(lines: list[str]) -> dict[str, int]:
    """Index of the line after each section's first header; the scan stops once all three are found
    (on a big file, the VOTES header comes long before the end)."""
    starts: dict[str, int] = {}
    for i, raw in enumerate(lines):
        if len(raw) > 40:
            continue  # a section header is a short line
        key = raw.strip().strip(";").strip().lower()
        if key in SECTIONS and key not in starts:  # as _is_header
            starts[key] = i + 1
            if len(starts) == len(SECTIONS):
                break
    return starts


def _rows(start: int, lines: list[str]) -> list[tuple[int, list[str]]]:
    """CSV rows of a section with the 1-based file line where each row starts (blank lines skipped)."""
    out = []
    blob = "\n".join(lines)
    if '"' not in blob and not _SPACE_IN_LINE.search(blob):
        # the common case (ballots): no quoting, no spaces, so each line is one row split on ';'
        rows = list(zip(range(start + 1, start + 1 + len(lines)), map(str.split, lines, repeat(";")),
                        strict=True))
        return [r for r in rows if r[1] != [""]] if "" in lines else rows
    if '"' not in blob:
        # no quoting anywhere: each line is one row split on ';' (what csv would do, several times faster)
        for i, raw in enumerate(lines):
            row = raw.split(";")
            if len(row) == 1 and not row[0].strip():
                continue
            out.append((start + i + 1, [c.strip() for c in row] if _SPACE.search(raw) else row))
        return out
    reader = csv.reader(lines, delimiter=";", quotechar='"')
    prev = 0
    for row in reader:
        line = start + prev + 1
        prev = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        out.append((line, [c.strip() for c in row]))
    return out


def _header(rows: list[tuple[int, list[str]]], section: str, required: tuple[str, ...],
            report: _Reporter, line_if_empty: int) -> tuple[int, list[str]]:
    if not rows:
        report(line_if_empty, section, f"section {section} has no header row", fatal=True)
    line, header = rows[0]
    header = [h.lstrip("\ufeff").strip() for h in header]
    for col in required:
        if col not in header:
            report(line, col, f"required column {col!r} missing from the {section} header", fatal=True)
    return line, header


def parse_string(text: str, file_name: str = "<string>", strict: bool = True) -> ParseResult:
    """Parse the text of a ``.pb`` file (any line ending, with or without BOM or final newline)."""
    return _parse(text, file_name, strict, None)


def _parse(text: str, file_name: str, strict: bool, source: tuple[bytes, int] | None) -> ParseResult:
    """``source``: the bytes ``text`` was decoded from and where it starts in them (after the BOM)."""
    report = _Reporter(file_name, strict)
    stripped = text.lstrip("\ufeff")
    if source is not None and len(stripped) != len(text):
        source = (source[0], source[1] + 3 * (len(text) - len(stripped)))  # a BOM is 3 bytes in UTF-8
    text = stripped
    sections = _split_at_votes(text, source) or _split_sections(text.splitlines(), report)
    meta = _read_meta(*sections["meta"], report)
    projects = _read_projects(*sections["projects"], report)
    votes = _read_votes(*sections["votes"], meta.vote_type, projects.index_of, report)
    _cross_check(meta, projects, votes, report)
    election = Election(file_name=file_name, meta=meta.values, vote_type=meta.vote_type, budget=meta.budget,
                        project_ids=projects.ids, costs=projects.costs, project_columns=projects.columns,
                        ballots=votes.ballots)
    return ParseResult(election, report.problems)


@dataclass
class _Meta:
    values: dict[str, str]
    line_of: dict[str, int]
    vote_type: str
    budget: Fraction


@dataclass
class _Projects:
    ids: list[str]
    costs: list[Fraction]
    columns: dict[str, list[str]]
    rows: list[tuple[int, list[str]]]  # (file line, cells), header first: to name a project's line
    id_col: int

    @property
    def index_of(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.ids)}


@dataclass
class _Votes:
    ballots: Ballots
    n_rows: int  # ballot rows in the file, accepted or not


def _read_meta(start: int, lines: list[str], report: _Reporter) -> _Meta:
    """META as key -> value (verbatim), with the mandatory keys, vote type and a positive budget checked."""
    rows = _rows(start, lines)
    values: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for line, row in rows[1:] if rows and rows[0][1][:1] == ["key"] else rows:
        if len(row) < 2:
            report(line, row[0] if row else "META", "META row needs a key and a value")
            continue
        values[row[0]] = ";".join(row[1:]) if len(row) > 2 else row[1]
        line_of[row[0]] = line
    for key in REQUIRED_META:
        if key not in values:
            report(start, key, f"mandatory META key {key!r} is missing", fatal=True)
    vote_type = values["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        report(line_of["vote_type"], "vote_type", f"unknown vote_type {values['vote_type']!r}", fatal=True)
    return _Meta(values, line_of, vote_type, _budget(values, line_of, report))


def _budget(values: dict[str, str], line_of: dict[str, int], report: _Reporter) -> Fraction:
    try:
        budget = _to_fraction(values["budget"])
    except (ValueError, ZeroDivisionError):
        report(line_of["budget"], "budget", f"budget {values['budget']!r} is not a number", fatal=True)
        raise  # unreachable: fatal always raises
    if budget <= 0:
        # every rule divides or compares by the budget: a non-positive one makes every outcome meaningless
        report(line_of["budget"], "budget", f"budget {values['budget']!r} must be positive", fatal=True)
    return budget


def _read_projects(start: int, lines: list[str], report: _Reporter) -> _Projects:
    """Project ids and exact costs (rows with a defect are reported and left out), other columns verbatim."""
    rows = _rows(start, lines)
    _, header = _header(rows, "PROJECTS", ("project_id", "cost"), report, start)
    id_col, cost_col = header.index("project_id"), header.index("cost")
    out = _Projects([], [], {h: [] for h in header if h not in ("project_id", "cost")}, rows, id_col)
    seen: set[str] = set()
    for line, row in rows[1:]:
        if len(row) > len(header) or len(row) <= max(id_col, cost_col):
            report(line, "PROJECTS", f"row has {len(row)} fields, header has {len(header)}")
            continue
        row = row + [""] * (len(header) - len(row))  # trailing optional cells left out
        pid = row[id_col]
        problem = _project_problem(pid, row[cost_col], seen)
        if problem:
            report(line, *problem)
            continue
        seen.add(pid)
        out.ids.append(pid)
        out.costs.append(_to_fraction(row[cost_col]))
        for j, h in enumerate(header):
            if h in out.columns:
                out.columns[h].append(html.unescape(row[j]) if h in TEXT_COLUMNS else row[j])
    return out


def _project_problem(pid: str, cost: str, seen: set[str]) -> tuple[str, str] | None:
    """(field, message) of what makes a project row unusable, or None."""
    if not pid:
        return "project_id", "empty project_id"
    if pid in seen:
        return "project_id", f"duplicate project_id {pid!r}"
    try:
        if _to_fraction(cost) >= 0:
            return None
    except (ValueError, ZeroDivisionError):
        pass
    return "cost", f"cost {cost!r} of project {pid!r} is not a non-negative number"


def _read_votes(start: int, lines: list[str] | _Body, vote_type: str, index_of: dict[str, int],
                report: _Reporter) -> _Votes:
    """Ballots in CSR form: column-wise when the section is plain (the usual case), row by row otherwise."""
    points = vote_type in ("cumulative", "scoring")
    whole = _arrow_votes(start, lines, vote_type, index_of, report) if not points else None
    if whole is not None:
        return whole
    table = None if points else _plain_columns(start, lines)
    if isinstance(lines, _Body):
        lines = lines.lines if table is None else lines  # the row path needs the lines
    rows = None
    if table is not None:
        head, cols = table
        n_rows = len(cols[0])
    else:
        rows = _rows(start, lines)
        head, n_rows = rows[:1], len(rows) - 1
    _, header = _header(head, "VOTES", ("voter_id", "vote"), report, start)
    vid_col, vote_col = header.index("voter_id"), header.index("vote")
    extra = [(j, h) for j, h in enumerate(header) if h not in ("voter_id", "vote", "points")]
    if rows is not None and not points:
        body = [r for _, r in rows[1:]]
        if body and not any(map(len(header).__ne__, map(len, body))):
            cols = list(zip(*body, strict=True))
            table = head, cols
    fast = None if table is None else _fast_votes(cols, vid_col, vote_col, extra, index_of)
    if fast is not None and not (vote_type == "choose-1" and _longest(fast[1]) > 1):
        voter_ids, indptr, flat, voter_columns = fast
        return _Votes(Ballots(voter_ids=voter_ids, indptr=indptr, indices=flat, points=None,
                              voter_columns=voter_columns), n_rows)
    # the row-by-row path reports every defect (and the choose-1 ballots naming several projects)
    rows = _rows(start, lines.lines if isinstance(lines, _Body) else lines) if rows is None else rows
    pts_col = header.index("points") if "points" in header else None
    return _Votes(_slow_votes(rows, header, vid_col, vote_col, pts_col, extra, index_of, vote_type, report), n_rows)


def _arrow_votes(start: int, lines: list[str] | _Body, vote_type: str, index_of: dict[str, int],
                 report: _Reporter) -> _Votes | None:
    """A big plain section read by Arrow (see :mod:`observatory.pb.ballot_columns`); None to read it here."""
    body = lines.utf8() if isinstance(lines, _Body) else None
    read = read_plain_ballots(body, index_of) if body is not None else None
    if read is None or (vote_type == "choose-1" and _longest(read.indptr) > 1):
        return None
    _header([(start + 1, read.header)], "VOTES", ("voter_id", "vote"), report, start)
    return _Votes(Ballots(voter_ids=read.voter_ids, indptr=read.indptr, indices=read.indices, points=None,
                          voter_columns=read.voter_columns), read.n_rows)


def _longest(indptr: np.ndarray) -> int:
    return int(np.diff(indptr).max(initial=0)) if len(indptr) > 1 else 0


def _cross_check(meta: _Meta, projects: _Projects, votes: _Votes, report: _Reporter) -> None:
    """META's declared counts against the sections, and each project's declared votes against the ballots."""
    for key, actual in (("num_projects", len(projects.rows) - 1), ("num_votes", votes.n_rows)):
        try:
            declared = int(float(meta.values[key]))
        except ValueError:
            report(meta.line_of[key], key, f"{key} {meta.values[key]!r} is not an integer")
            continue
        if declared != actual:
            report(meta.line_of[key], key, f"META declares {declared} rows but the section has {actual}")
    ballots = votes.ballots
    if "votes" not in projects.columns or not projects.ids or votes.n_rows != len(ballots.voter_ids):
        return
    counted = np.bincount(ballots.indices, minlength=len(projects.ids))
    for i, v in enumerate(projects.columns["votes"]):
        if v and v.replace(".", "", 1).isdigit() and int(float(v)) != counted[i]:
            pid = projects.ids[i]
            line = next(ln for ln, r in projects.rows[1:] if r[projects.id_col] == pid)
            report(line, "votes", f"project {pid!r} declares {v} votes, ballots give {counted[i]}")


def _points(raw: str, n_tokens: int) -> list[float] | str:
    """A ballot's points, one per named project, or what is wrong with them."""
    ptoks = [t.strip() for t in raw.split(",") if t.strip()] if raw else []
    if len(ptoks) != n_tokens:
        return f"{len(ptoks)} points for {n_tokens} projects"
    try:
        return [float(Fraction(t.replace(",", "."))) for t in ptoks]
    except (ValueError, ZeroDivisionError):
        return f"non-numeric points {raw!r}"


def _slow_votes(v_rows: list[tuple[int, list[str]]], v_header: list[str], vid_col: int, vote_col: int,
                pts_col: int | None, extra: list[tuple[int, str]], index_of: dict[str, int], vote_type: str,
                report: _Reporter) -> Ballots:
    """Row by row, reporting every defect (used for points ballots and whenever the fast path declines)."""
    voter_ids: list[str] = []
    voter_columns: dict[str, list[str]] = {h: [] for _, h in extra}
    lengths: list[int] = []
    flat_ids: list[int] = []
    flat_points: list[float] = []
    want_points = vote_type in ("cumulative", "scoring")
    seen_voters: set[str] = set()
    for line, row in v_rows[1:]:
        if len(row) > len(v_header) or len(row) <= max(vid_col, vote_col):
            report(line, "VOTES", f"row has {len(row)} fields, header has {len(v_header)}")
            continue
        row = row + [""] * (len(v_header) - len(row))  # trailing optional cells left out
        vid = row[vid_col]
        if vid in seen_voters:
            report(line, "voter_id", f"duplicate voter_id {vid!r}")
            continue
        tokens = [t.strip() for t in row[vote_col].split(",")] if row[vote_col] else []
        tokens = [t for t in tokens if t]
        pts: list[float] = []
        if want_points:
            pts_or_problem = _points(row[pts_col] if pts_col is not None else "", len(tokens))
            if isinstance(pts_or_problem, str):
                report(line, "points", pts_or_problem)
                continue
            pts = pts_or_problem
        ids: list[int] = []
        keep_pts: list[float] = []
        for k, t in enumerate(tokens):
            j = index_of.get(t)
            if j is None:
                report(line, "vote", f"ballot of voter {vid!r} names unknown project {t!r}")
                continue
            ids.append(j)
            if want_points:
                keep_pts.append(pts[k])
        if vote_type == "choose-1" and len(set(ids)) > 1:
            report(line, "vote", f"choose-1 ballot of voter {vid!r} names {len(ids)} projects")
        seen_voters.add(vid)
        voter_ids.append(vid)
        lengths.append(len(ids))
        flat_ids.extend(ids)
        flat_points.extend(keep_pts)
        for j, h in extra:
            voter_columns[h].append(row[j] if j < len(row) else "")

    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=indptr[1:])
    ballots = Ballots(voter_ids=voter_ids, indptr=indptr, indices=np.asarray(flat_ids, dtype=np.int32),
                      points=np.asarray(flat_points, dtype=np.float64) if want_points else None,
                      voter_columns=voter_columns)
    return ballots


def _plain_columns(start: int, lines: list[str] | _Body
                   ) -> tuple[list[tuple[int, list[str]]], list[list[str]]] | None:
    """Header row and body columns of a section of plain rows (no quotes, spaces, blank lines; one width).

    The usual ballot section: the whole text is split at once (no per-row work); None otherwise.
    """
    if isinstance(lines, _Body):
        text = lines.plain_text()
        if text is None:
            return None
        n_lines = text.count("\n") + 1
        blob = text.replace("\n", ";\n")  # every line but the first then starts a cell with "\n"
        first = text[:text.find("\n")]
    else:
        n_lines = len(lines)
        blob = ";\n".join(lines)
        first = lines[0] if lines else ""
    if n_lines < 2 or '"' in blob or _has_space(blob):
        return None
    header = first.split(";")
    width = len(header)
    cells = blob.split(";")
    firsts = "".join(cells[::width])
    # each line break starts one cell (a "\n" follows a ";" everywhere): when the cells at multiples of the
    # width hold all of them, every line has the header's width (a blank line would shift them)
    if width < 2 or len(cells) != width * n_lines or firsts.count("\n") != n_lines - 1:
        return None
    cols = [firsts.split("\n")[1:], *(cells[width + j::width] for j in range(1, width))]
    return [(start + 1, header)], cols


# what str.strip() and ``\\s`` count as whitespace, besides the newline
_SPACE_CHARS = (" \t\x0b\x0c\r\x1c\x1d\x1e\x1f", "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _has_space(blob: str) -> bool:
    """Whether ``blob`` holds whitespace other than newlines; as ``_SPACE_IN_LINE.search`` but about twice as
    fast on a big section (one substring search per character; per column instead was slower)."""
    ascii_space, other_space = _SPACE_CHARS
    return any(map(blob.__contains__, ascii_space)) or (not blob.isascii() and any(map(blob.__contains__, other_space)))


def _positions_of_tokens(joined: str, index_of: dict[str, int]) -> np.ndarray | None:
    """Project positions of the comma-separated ids in ``joined``; None if one is not a project."""
    if not joined:
        return np.zeros(0, dtype=np.int32)
    flat = _positions_of_int_tokens(joined, index_of)
    if flat is not None:
        return flat
    tokens = joined.split(",")
    try:
        return np.fromiter(map(index_of.__getitem__, tokens), dtype=np.int32, count=len(tokens))
    except KeyError:
        return None


_POWERS_OF_TEN = 10 ** np.arange(1, 19, dtype=np.int64)


def _positions_of_int_tokens(joined: str, index_of: dict[str, int]) -> np.ndarray | None:
    """The same when every project id is a plain decimal number (most files): numpy parses the numbers in C.

    Exact: ``joined`` holds only digits and single commas, and the digits of the parsed values add up to
    its length, so no token had a leading zero or overflowed; ids not among the projects give None.
    """
    ids = [int(p) if p.isascii() and p.isdigit() and (p == "0" or p[0] != "0") and len(p) < 19 else -1
           for p in index_of]
    if min(ids, default=-1) < 0 or not joined.isascii():
        return None
    if joined.encode("ascii").translate(None, b"0123456789,"):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(joined, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if len(values) != joined.count(",") + 1 or values.min() < 0 or values.max() >= _POWERS_OF_TEN[-1]:
        return None
    digits = np.ones(len(values), dtype=np.int64)
    for power in _POWERS_OF_TEN[:len(str(int(values.max())))]:
        digits += values >= power
    if int(digits.sum()) + len(values) - 1 != len(joined):
        return None
    known = np.asarray(ids, dtype=np.int64)
    if known.max() < 4 * len(values) + 1024:  # a direct table (small ids, the usual case)
        table = np.full(int(known.max()) + 1, -1, dtype=np.int32)
        table[known] = [index_of[p] for p in index_of]
        flat = table[np.minimum(values, len(table) - 1)]
        return None if (flat < 0).any() or (values >= len(table)).any() else flat
    order = np.argsort(known)
    at = np.minimum(np.searchsorted(known[order], values), len(known) - 1)
    if not np.array_equal(known[order][at], values):
        return None
    return np.asarray([index_of[p] for p in index_of], dtype=np.int32)[order][at]


def _fast_votes(cols: list, vid_col: int, vote_col: int, extra: list[tuple[int, str]], index_of: dict[str, int]
                ) -> tuple[list[str], np.ndarray, np.ndarray, dict[str, list[str]]] | None:
    """Column-wise reading of well-formed approval/ordinal ballots; None as soon as anything is irregular."""
    voter_ids = list(cols[vid_col])
    if len(set(voter_ids)) != len(voter_ids):
        return None
    votes = cols[vote_col]
    joined = ",".join(filter(None, votes))
    # a ballot starting or ending with ',' shows up as ',,' or at an end of the joined text
    if " " in joined or "\u00a0" in joined or ",," in joined or joined.startswith(",") or joined.endswith(","):
        return None
    flat = _positions_of_tokens(joined, index_of)
    if flat is None:
        return None  # an unknown project: the row-by-row path names it
    indptr = np.zeros(len(votes) + 1, dtype=np.int64)
    np.cumsum(_ballot_lengths(votes, joined), out=indptr[1:])
    return voter_ids, indptr, flat, {h: list(cols[j]) for j, h in extra}


def _ballot_lengths(votes: list[str], joined: str) -> np.ndarray:
    """Projects named per ballot. With ASCII ballots, from where each ballot and each id start in ``joined``
    (numpy over the bytes); otherwise by counting commas ballot by ballot."""
    if not joined.isascii():
        lengths = np.fromiter(map(str.count, votes, repeat(",")), dtype=np.int64, count=len(votes))
        return lengths + np.fromiter(map(bool, votes), dtype=np.int64, count=len(votes))
    chars = np.fromiter(map(len, votes), dtype=np.int64, count=len(votes))
    nonempty = chars > 0
    ballot_starts = np.cumsum(chars[nonempty] + 1) - (chars[nonempty] + 1)
    id_starts = np.concatenate(([0], np.flatnonzero(np.frombuffer(joined.encode("ascii"), np.uint8) == 44) + 1))
    first_id = np.searchsorted(id_starts, ballot_starts)
    lengths = np.zeros(len(votes), dtype=np.int64)
    lengths[nonempty] = np.diff(np.append(first_id, len(id_starts) if joined else 0))
    return lengths


def parse_bytes(data: bytes, file_name: str = "<bytes>", strict: bool = True) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PabulibError(Problem(file_name, line, "encoding", f"not valid UTF-8: {exc.reason}")) from exc
    return _parse(text, file_name, strict, (data, 3 if data.startswith(codecs.BOM_UTF8) else 0))


def parse_file(path: str | Path, strict: bool = True) -> ParseResult:
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name, strict)


def load(path: str | Path) -> Election:
    """Strict parse of a file, returning the election only."""
    return parse_file(path, strict=True).election


# ---- writer -----------------------------------------------------------------------------------
def _fraction_text(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return format(float(x), "f").rstrip("0").rstrip(".") if x == Fraction(float(x)) else str(float(x))


def to_string(election: Election) -> str:
    """Write an election back as a ``.pb`` text (used for round-trip tests and exports)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quotechar='"', lineterminator="\n")
    buf.write("META\n")
    w.writerow(["key", "value"])
    for k, v in election.meta.items():
        w.writerow([k, v])
    buf.write("PROJECTS\n")
    cols = list(election.project_columns)
    w.writerow(["project_id", "cost", *cols])
    for i, pid in enumerate(election.project_ids):
        w.writerow([pid, _fraction_text(election.costs[i]), *[election.project_columns[c][i] for c in cols]])
    buf.write("VOTES\n")
    b = election.ballots
    if b is not None:
        vcols = list(b.voter_columns)
        has_points = b.points is not None
        w.writerow(["voter_id", "vote", *(["points"] if has_points else []), *vcols])
        for r, vid in enumerate(b.voter_ids):
            lo, hi = b.indptr[r], b.indptr[r + 1]
            vote = ",".join(election.project_ids[j] for j in b.indices[lo:hi])
            extra = [",".join(f"{p:g}" for p in b.points[lo:hi])] if has_points else []
            w.writerow([vid, vote, *extra, *[b.voter_columns[c][r] for c in vcols]])
    return buf.getvalue()
