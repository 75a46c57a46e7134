"""The parser's fast paths (whole-section splitting, numbers parsed by numpy, merged ballots keyed by one
integer) must read exactly what the row-by-row path reads; each guard has a control showing the harm."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from observatory.pb import pabulib
from observatory.pb.model import _unique_rows
from observatory.pb.pabulib import PabulibError, parse_string


def _text(ballots: list[str], ids: tuple[str, ...] = ("1", "2", "10", "12")) -> str:
    lines = ["META", "key;value", f"num_projects;{len(ids)}", f"num_votes;{len(ballots)}", "budget;100",
             "vote_type;approval", "PROJECTS", "project_id;cost", *[f"{p};10" for p in ids],
             "VOTES", "voter_id;vote", *[f"v{i};{b}" for i, b in enumerate(ballots)]]
    return "\n".join(lines) + "\n"


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and chr(c) != "\n"]


def _outcome(text: str) -> tuple:
    try:
        b = parse_string(text).election.ballots
    except PabulibError as exc:
        return ("error", str(exc))
    return (b.voter_ids, b.indptr.tolist(), b.indices.tolist(), b.voter_columns)


@pytest.mark.parametrize("where", ["vote", "age", "neighbourhood"])
def test_every_whitespace_character_reads_as_on_the_row_path(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's own list of what ``str.strip`` removes (line breaks included), put at the end of a cell of the
    ballot section, with a non-ASCII letter in the same column for half of them: the same ballots, or the
    same error, as when every row is read one by one."""
    assert len(SPACES) > 20
    texts = []
    for k, c in enumerate(SPACES):
        cells = {"vote": "1,2", "age": "40", "neighbourhood": "Ursyn\u00f3w" if k % 2 else "Wola"}
        cells[where] += c
        lines = _text(["1,2", "10"]).replace("voter_id;vote", "voter_id;vote;age;neighbourhood").splitlines()
        lines[-2:] = [f"v0;{cells['vote']};{cells['age']};{cells['neighbourhood']}", "v1;10;33;Wola"]
        texts.append("\n".join(lines))
    fast = [_outcome(t) for t in texts]
    monkeypatch.setattr(pabulib, "read_plain_ballots", lambda *args: None)
    columns = [_outcome(t) for t in texts]
    monkeypatch.setattr(pabulib, "_plain_columns", lambda *args: None)
    assert fast == columns == [_outcome(t) for t in texts]
    assert sum(o[0] != "error" for o in fast) > 10  # most are read (stripped), not refused


@pytest.mark.parametrize("token", ["01", "012", "00", "1e1", "+2", "-2", "12345678901234567890", "99", "1.0"])
def test_a_token_that_is_not_a_project_id_is_named_as_the_row_path_names_it(token: str) -> None:
    text = _text(["1,2", f"10,{token}", "12"])
    with pytest.raises(PabulibError) as caught:
        parse_string(text)
    assert caught.value.line == text.splitlines().index(f"v1;10,{token}") + 1 and caught.value.field == "vote"
    assert repr(token) in str(caught.value)


def test_numpy_alone_would_read_a_leading_zero_as_a_project() -> None:
    """Control: without the digit-count guard, ``01`` parses to 1, a real project id."""
    assert np.fromstring("10,01", dtype=np.int64, sep=",").tolist() == [10, 1]  # the harm the guard stops
    assert pabulib._positions_of_int_tokens("10,01", {"1": 0, "10": 1}) is None
    assert pabulib._positions_of_int_tokens("10,1", {"1": 0, "10": 1}).tolist() == [1, 0]


@pytest.mark.parametrize("ids", [("1", "2", "10", "12"), ("5", "1000000000", "7", "3"), ("a", "1", "2", "3")])
def test_number_and_dictionary_paths_give_the_same_positions(ids: tuple[str, ...]) -> None:
    ballots = [",".join(ids[j] for j in range(i % 4 + 1)) for i in range(40)] + ["", ids[3]]
    e = parse_string(_text(ballots, ids)).election
    index_of = {p: i for i, p in enumerate(ids)}
    expected = [index_of[t] for b in ballots for t in b.split(",") if t]
    assert e.ballots.indices.tolist() == expected
    assert np.diff(e.ballots.indptr).tolist() == [len([t for t in b.split(",") if t]) for b in ballots]


@pytest.mark.parametrize("width", [1, 2, 3])
def test_unique_rows_are_those_of_numpy_in_the_same_order(width: int) -> None:
    rng = np.random.default_rng(width)
    rows = rng.integers(0, 4, size=(500, width)).astype(np.uint64) << np.uint64(61)  # high bits used
    rows |= rng.integers(0, 3, size=(500, width)).astype(np.uint64)
    index, counts = _unique_rows(rows)
    distinct, expected_counts = np.unique(rows, axis=0, return_counts=True)
    assert np.array_equal(rows[index], distinct)
    assert np.array_equal(counts, expected_counts)


HEADERS = ["VOTES", "votes", "Votes", "vOtEs", " VOTES ;", ";VOTES", "VOTES\x0c", "\x0cVOTES", "VOTES;;", "VOTES x"]


@pytest.mark.parametrize("seed", range(60))
def test_finding_votes_by_search_splits_as_the_line_scan(seed: int) -> None:
    """Searching the VOTES header's usual spellings gives the sections of the line-by-line scan, or declines."""
    import random

    rng = random.Random(seed)
    lines = _text(["1,2", "10", "12,1"]).splitlines()
    at = lines.index("VOTES")
    lines[at] = rng.choice(HEADERS)
    for _ in range(rng.randint(0, 2)):  # header-like lines before or after it
        lines.insert(rng.randint(1, len(lines)), rng.choice([*HEADERS, "name;VOTES", "PROJECTS"]))
    sep = rng.choice(["\n", "\r\n", "\r"])
    text = sep.join(lines) + rng.choice(["", sep])
    fast = pabulib._split_at_votes(text)
    try:
        slow = pabulib._split_sections(text.splitlines(), pabulib._Reporter("t", True))
    except PabulibError:
        assert fast is None
        return
    if fast is not None:
        assert {k: (n, v.lines if isinstance(v, pabulib._Body) else v) for k, (n, v) in fast.items()} == slow


def test_only_the_first_header_of_a_section_counts() -> None:
    """A second VOTES line is a row of the ballot section (here a bad one), wherever it stands."""
    text = _text(["1,2"]).replace("VOTES\n", "VOTES\nVOTES\n")
    with pytest.raises(PabulibError, match="required column 'voter_id' missing"):
        parse_string(text)


# ---- the Arrow reading of a big plain ballot section --------------------------------------------------
CELLS = ["1", "2", "10", "12", "1,2", "10,12,1", "", "2,2", "7", "01", "1,,2", ",1", "1,", "1 ", "\u00a0", "x;y",
         '"1"', "\u0105", "NA", "null", "\u2003", "1\r", "1\x00"]
LINE_BREAKS = ["\n", "\r\n", "\r"]


def _random_section(rng) -> tuple[str, str]:  # noqa: ANN001
    """A ballot section that is usually plain, with now and then one irregularity of those the Arrow reading
    must decline or read as the rows are read; and the vote type."""
    extra = rng.choice([[], ["age"], ["age", "district"], ["points"]])
    header = ["voter_id", "vote", *extra]
    rows = []
    for i in range(rng.randint(1, 12)):
        vote = rng.choice(CELLS[:7]) if rng.random() < 0.9 else rng.choice(CELLS)
        cells = [f"v{i}" if rng.random() < 0.95 else "v0", vote,
                 *(rng.choice(["33", "", "Wola", "Ursyn\u00f3w", "NA"]) for _ in extra)]
        if rng.random() < 0.05:
            cells = cells[:-1] if rng.random() < 0.5 else [*cells, "z"]  # another width
        rows.append(";".join(cells))
    if rng.random() < 0.1:
        rows.insert(rng.randint(0, len(rows)), "")  # a blank line
    sep = rng.choice(LINE_BREAKS) if rng.random() < 0.2 else "\n"
    end = rng.choice(["", "\n", "\n\n", "\r\n"])
    return sep.join([";".join(header), *rows]) + end, rng.choice(["approval"] * 4 + ["choose-1", "ordinal"])


def _file(section: str, vote_type: str) -> str:
    head = ["META", "key;value", "num_projects;4", "num_votes;3", "budget;100", f"vote_type;{vote_type}",
            "PROJECTS", "project_id;cost", "1;10", "2;10", "10;10", "12;10", "VOTES"]
    return "\n".join(head) + "\n" + section


def _read(data: bytes, strict: bool) -> tuple:
    try:
        result = pabulib.parse_bytes(data, "t.pb", strict=strict)
    except PabulibError as exc:
        return ("error", str(exc))
    b = result.election.ballots
    return (b.voter_ids, b.indptr.tolist(), b.indices.tolist(), b.voter_columns, result.problems)


@pytest.mark.parametrize("seed", range(40))
def test_arrow_reading_gives_what_the_rows_give(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random sections, mostly plain, some not (blank lines, widths, ``\\r``, quotes, spaces, duplicate voters,
    empty or unknown ids, a BOM or two): the Arrow reading, the column split and the row-by-row reading
    give the same ballots, the same problems or the same error, strict and lenient."""
    import random

    rng = random.Random(seed)
    cases = []
    for _ in range(25):
        text = _file(*_random_section(rng))
        bom = rng.choice(["", "", "\ufeff", "\ufeff\ufeff"])
        cases.append(((bom + text).encode("utf-8"), rng.random() < 0.5))
    arrow = [_read(data, strict) for data, strict in cases]
    monkeypatch.setattr(pabulib, "read_plain_ballots", lambda *args: None)
    columns = [_read(data, strict) for data, strict in cases]
    monkeypatch.setattr(pabulib, "_plain_columns", lambda *args: None)
    assert arrow == columns == [_read(data, strict) for data, strict in cases]
    assert sum(o[0] != "error" for o in arrow) > 5


def test_arrow_reads_what_it_is_given_so_irregular_sections_are_declined_first() -> None:
    """Control: Arrow alone reads a blank line as a voter with empty cells and a lone ``\\r`` as a line break;
    the plain-section guard declines both, so the rows are read (and the blank line skipped)."""
    from observatory.pb import ballot_columns

    blank = b"voter_id;vote\nv1;1\n\nv2;2"
    assert [c.to_pylist() for c in ballot_columns._read_columns(blank, 2, set())] == [["v1", "", "v2"],
                                                                                      ["1", "", "2"]]
    assert ballot_columns.read_plain_ballots(blank, {"1": 0, "2": 1}) is None
    carriage = b"voter_id;vote\nv1;1\rv2;2"
    assert ballot_columns._read_columns(carriage, 2, set())[0].to_pylist() == ["v1", "v2"]
    assert ballot_columns.plain_body(carriage) is None
    plain = ballot_columns.read_plain_ballots(b"voter_id;vote;age\r\nv1;1,2;NA\r\nv2;;\r\n", {"1": 0, "2": 1})
    assert (plain.voter_ids, plain.indptr.tolist(), plain.indices.tolist(), plain.voter_columns) == (
        ["v1", "v2"], [0, 2, 2], [0, 1], {"age": ["NA", ""]})  # "NA" stays a string, not a missing value


def test_the_arrow_reading_runs_on_a_plain_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual file takes the Arrow path, from bytes (cut from the file) and from text (encoded)."""
    calls = []
    real = pabulib.read_plain_ballots
    monkeypatch.setattr(pabulib, "read_plain_ballots", lambda body, index: calls.append(body) or real(body, index))
    text = _text(["1,2", "10", "", "12,1"])
    from_bytes = pabulib.parse_bytes(("\ufeff" + text).encode()).election.ballots
    from_text = parse_string(text).election.ballots
    assert calls[0] == calls[1] == text.split("VOTES\n")[1].encode()
    assert from_bytes.voter_ids == from_text.voter_ids == ["v0", "v1", "v2", "v3"]
    assert from_bytes.indices.tolist() == from_text.indices.tolist() == [0, 1, 2, 3, 0]
