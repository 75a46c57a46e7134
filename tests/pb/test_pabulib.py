"""Pabulib parser: every quirk of FORMAT.md on small hand-written files, and bad input located exactly."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from observatory.pb.pabulib import PabulibError, parse_bytes, parse_string, to_string

QUIRKY = (
    "META\r\n"
    "key;value\r\n"
    "description;\"Quoted; with a semicolon and \"\"quotes\"\"\"\r\n"
    "country;Testland\r\n"
    "unit;Testville\n"  # a bare LF inside a CRLF file
    "instance;2024\r\n"
    "num_projects;3\r\n"
    "num_votes;4\r\n"
    "budget;1000.50\r\n"
    "vote_type;approval\r\n"
    "rule;greedy\r\n"
    "some_future_key;kept verbatim\r\n"
    "PROJECTS\r\n"
    "project_id;cost;name;category;selected\r\n"
    "BO.OM.97/24;400.0;\"Caf&eacute; &quot;Ogr&oacute;d&quot;\";parks, roads;1\r\n"  # entities are quoted
    "L088;  300 ;\"Bench; blue\";;0\r\n"
    "7;300.25;Tree \u00a0;roads;2\r\n"
    "VOTES\r\n"
    "voter_id;vote;age\r\n"
    "P42502;BO.OM.97/24,L088,BO.OM.97/24;40-59\r\n"
    "126-10;7;\r\n"
    "v3;;33\r\n"
    "v4;L088"  # no final newline
)


def test_every_quirk_is_read() -> None:
    data = ("\ufeff" + QUIRKY).encode("utf-8")
    result = parse_bytes(data, "quirky.pb", strict=True)
    e = result.election
    assert result.problems == []
    assert e.meta["description"] == 'Quoted; with a semicolon and "quotes"'
    assert e.meta["some_future_key"] == "kept verbatim"
    assert e.meta["unit"] == "Testville"
    assert e.budget == Fraction("1000.50")
    assert e.project_ids == ["BO.OM.97/24", "L088", "7"]          # ids stay strings, file order kept
    assert e.costs == [Fraction(400), Fraction(300), Fraction("300.25")]
    assert e.project_columns["name"] == ['Café "Ogród"', "Bench; blue", "Tree"]
    assert e.project_columns["category"] == ["parks, roads", "", "roads"]
    assert list(e.declared_selected) == [1, 0, 2]                 # selected is a code, not a boolean
    b = e.ballots
    assert b.voter_ids == ["P42502", "126-10", "v3", "v4"]
    assert list(np.diff(b.indptr)) == [3, 1, 0, 1]                # duplicates kept as written
    assert b.voter_columns["age"] == ["40-59", "", "33", ""]
    # approval projection counts a project once per ballot
    assert list(e.approval_counts) == [1, 2, 1]


def test_writer_round_trips() -> None:
    e = parse_string(QUIRKY, "quirky.pb").election
    again = parse_string(to_string(e), "again.pb").election
    assert again.meta == e.meta and again.project_ids == e.project_ids and again.costs == e.costs
    assert again.project_columns == e.project_columns
    assert np.array_equal(again.ballots.indptr, e.ballots.indptr)
    assert np.array_equal(again.ballots.indices, e.ballots.indices)
    assert again.ballots.voter_columns == e.ballots.voter_columns


CUMULATIVE = """META
key;value
num_projects;2
num_votes;2
budget;10
vote_type;cumulative
PROJECTS
project_id;cost
a;4
b;6
VOTES
voter_id;vote;points
1;a,b;3,2
2;b;5
"""


def test_cumulative_points_and_ordinal_positions() -> None:
    e = parse_string(CUMULATIVE, "c.pb").election
    assert list(e.ballots.points) == [3.0, 2.0, 5.0]
    assert list(e.score_totals) == [3.0, 7.0]
    ordinal = CUMULATIVE.replace("cumulative", "ordinal").replace(";points", "").replace(";3,2", "").replace(";5\n", "\n")
    o = parse_string(ordinal + "", "o.pb").election
    assert o.ballots.points is None
    # positional points max_length - rank with max_length = longest ballot (2): a 2, b 1 + 2
    assert list(o.score_totals) == [2.0, 3.0]


def _broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


BASE = CUMULATIVE.replace("cumulative", "approval").replace(";points", "").replace(";3,2", "").replace(";5\n", "\n")


@pytest.mark.parametrize(("text", "line", "field"), [
    (_broken(BASE, "b;6", "b;six"), 10, "cost"),
    (_broken(BASE, "2;b\n", "2;b,zz\n"), 14, "vote"),
    (_broken(BASE, "num_votes;2", "num_votes;3"), 4, "num_votes"),
    (_broken(BASE, "num_projects;2", "num_projects;5"), 3, "num_projects"),
    (_broken(BASE, "a;4\nb;6", "a;4\na;6"), 10, "project_id"),
    (_broken(BASE, "2;b\n", "1;b\n"), 14, "voter_id"),
    (_broken(CUMULATIVE, "1;a,b;3,2", "1;a,b;3"), 13, "points"),
    (_broken(CUMULATIVE, "1;a,b;3,2", "1;a,b;3,x"), 13, "points"),
])
def test_bad_input_names_file_line_and_field(text: str, line: int, field: str) -> None:
    with pytest.raises(PabulibError) as err:
        parse_string(text, "bad.pb", strict=True)
    assert (err.value.file, err.value.line, err.value.field) == ("bad.pb", line, field)
    assert f"bad.pb:{line}" in str(err.value)


def test_lenient_mode_loads_what_is_sound_and_lists_each_problem() -> None:
    text = _broken(_broken(BASE, "b;6", "b;six"), "2;b\n", "2;b,a\n")
    result = parse_string(text, "bad.pb", strict=False)
    e = result.election
    assert e.project_ids == ["a"]                                   # the bad project is left out
    assert list(np.diff(e.ballots.indptr)) == [1, 1]                # its ballot entries are dropped
    fields = [(p.line, p.field) for p in result.problems]
    assert (10, "cost") in fields and (13, "vote") in fields and (14, "vote") in fields
    assert not any(f == "num_projects" for _, f in fields)          # the file itself has both rows


@pytest.mark.parametrize(("text", "field"), [
    (BASE.split("VOTES")[0], "VOTES"),                             # truncated: no VOTES section
    (BASE.replace("budget;10\n", ""), "budget"),
    (BASE.replace("budget;10", "budget;ten"), "budget"),
    (BASE.replace("vote_type;approval", "vote_type;quadratic"), "vote_type"),
    (BASE.replace("voter_id;vote", "voter_id;ballot"), "vote"),
])
def test_fatal_defects_raise_even_in_lenient_mode(text: str, field: str) -> None:
    with pytest.raises(PabulibError) as err:
        parse_string(text, "fatal.pb", strict=False)
    assert err.value.field == field and err.value.file == "fatal.pb" and err.value.line >= 1


def test_invalid_utf8_is_located() -> None:
    with pytest.raises(PabulibError) as err:
        parse_bytes(BASE.encode() + b"\n3;\xff\n", "enc.pb")
    assert err.value.field == "encoding" and err.value.line == 16


def test_every_shared_file_parses_strictly(shared_data) -> None:  # noqa: ANN001
    import csv

    folder = shared_data / "pabulib"
    for row in csv.DictReader((folder / "MANIFEST.csv").open(encoding="utf-8")):
        e = parse_bytes((folder / "files" / row["file"]).read_bytes(), row["file"], strict=True).election
        assert (e.n_projects, e.n_voters, e.vote_type) == (int(row["num_projects"]), int(row["num_votes"]),
                                                           row["vote_type"])
