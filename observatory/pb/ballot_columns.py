"""A plain ballot section read column-wise by Arrow's CSV reader (C++), the usual case of a big file.

"Plain" is what the row-by-row reading would split on ``;`` alone: no quote, no whitespace but the line
breaks (``\\r\\n`` or ``\\n``), no blank line, every row as wide as the header. On anything else this
declines (returns None) and the caller reads the rows one by one, so the outcome never depends on which
path ran. Ballot ids are matched to project ids as exact strings (``index_in``), never as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# what str.strip() and ``\s`` count as whitespace, besides the newline: ASCII bytes, then the UTF-8 of the
# others by lead byte (in valid UTF-8 a lead byte is never a continuation byte, so a substring match is a
# character match); a lead byte is looked for first, one fast byte search, as most texts have none of them
_ASCII_SPACES = tuple(bytes([c]) for c in b" \t\x0b\x0c\r\x1c\x1d\x1e\x1f")
_OTHER_SPACES: dict[bytes, tuple[bytes, ...]] = {}
for _code in range(0x80, 0x3001):
    if chr(_code).isspace():
        _utf8 = chr(_code).encode()
        _OTHER_SPACES[_utf8[:1]] = (*_OTHER_SPACES.get(_utf8[:1], ()), _utf8)


@dataclass
class BallotColumns:
    header: list[str]
    voter_ids: list[str]
    indptr: np.ndarray  # int64
    indices: np.ndarray  # int32 project positions
    voter_columns: dict[str, list[str]]

    @property
    def n_rows(self) -> int:
        return len(self.voter_ids)


def plain_body(body: bytes) -> bytes | None:
    """The section's UTF-8 text with "\\n" line breaks and no final one, or None when it is not plain."""
    if b"\r" in body:
        body = body.replace(b"\r\n", b"\n")
        if b"\r" in body:
            return None  # a lone carriage return: a line break to the row path, a character here
    body = body[:-1] if body.endswith(b"\n") else body
    if (b"\n\n" in body or body.startswith(b"\n") or body.endswith(b"\n") or b'"' in body
            or any(map(body.__contains__, _ASCII_SPACES))
            or (not body.isascii() and _has_other_space(body))):
        return None
    return body


def _has_other_space(body: bytes) -> bool:
    return any(lead in body and any(map(body.__contains__, spaces)) for lead, spaces in _OTHER_SPACES.items())


def read_plain_ballots(body: bytes, index_of: dict[str, int]) -> BallotColumns | None:
    """Approval/ordinal ballots of a plain section: voter ids, CSR arrays and the other columns verbatim.

    None as soon as anything is irregular: not plain, rows of another width, a duplicate voter id, an empty
    id inside a ballot (``1,,2``, ``,1``) or one that is not a project.
    """
    text = plain_body(body)
    if text is None or b"\n" not in text:
        return None
    header = text[:text.index(b"\n")].decode("utf-8").split(";")
    width = len(header)
    if width < 2 or "voter_id" not in header or "vote" not in header:
        return None
    vid_col, vote_col = header.index("voter_id"), header.index("vote")
    columns = _read_columns(text, width, dictionary={j for j in range(width) if j not in (vid_col, vote_col)})
    if columns is None or len(columns[0]) != text.count(b"\n"):
        return None
    voter_ids = columns[vid_col].to_pylist()
    if len(set(voter_ids)) != len(voter_ids):
        return None
    ballots = _csr(columns[vote_col], index_of)
    if ballots is None:
        return None
    extra = {h: _strings(columns[j]) for j, h in enumerate(header) if h not in ("voter_id", "vote", "points")}
    return BallotColumns(header, voter_ids, *ballots, extra)


def _read_columns(text: bytes, width: int, dictionary: set[int]) -> list | None:
    """The body's columns (header row skipped) as Arrow arrays, None unless every row has ``width`` cells.

    Columns other than the voter id and the ballot repeat a few values (age, district...): read as
    dictionaries, they become Python strings in a few numpy steps.
    """
    import pyarrow as pa
    from pyarrow import csv

    types = {f"f{j}": pa.dictionary(pa.int32(), pa.string()) if j in dictionary else pa.string()
             for j in range(width)}
    try:
        table = csv.read_csv(
            pa.py_buffer(text),
            read_options=csv.ReadOptions(use_threads=False, skip_rows=1, autogenerate_column_names=True,
                                         block_size=max(len(text), 1 << 20) + 1),
            parse_options=csv.ParseOptions(delimiter=";", quote_char=False, escape_char=False,
                                           newlines_in_values=False, ignore_empty_lines=False),
            convert_options=csv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                               quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None  # a row of another width (or no row)
    if table.num_columns != width:
        return None
    return [table.column(j).combine_chunks() for j in range(width)]


def _strings(column) -> list[str]:  # noqa: ANN001
    """A dictionary column's values as Python strings (each distinct value decoded once)."""
    values = np.array(column.dictionary.to_pylist() + [""], dtype=object)[:-1]  # 1-D even for one value
    return values[column.indices.to_numpy()].tolist()


def _lengths(strings) -> np.ndarray:  # noqa: ANN001
    """Byte length of every value of an Arrow string array, read from its offsets buffer (no copy)."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[strings.offset:strings.offset + len(strings) + 1]
    return np.diff(offsets)


def _csr(votes, index_of: dict[str, int]) -> tuple[np.ndarray, np.ndarray] | None:  # noqa: ANN001
    """``indptr`` and project positions of the comma-separated ballots; None on an empty or unknown id."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tokens = pc.split_pattern(votes, ",")
    values = tokens.values  # lengths below come from the offsets (whole arrays, no slicing here)
    empty_token = _lengths(values) == 0
    empty_ballot = _lengths(votes) == 0
    # an empty ballot splits into one empty token; any other empty token is an empty id
    n_empty = int(empty_token.sum())
    if n_empty != int(empty_ballot.sum()):
        return None
    found = pc.index_in(values, value_set=pa.array(list(index_of), pa.string()))
    if found.null_count != n_empty:  # "" is no project id: only the empty tokens may be missing
        return None  # not a project: the row path names it
    positions = found.fill_null(-1).to_numpy() if n_empty else found.to_numpy()
    indptr = np.zeros(len(votes) + 1, dtype=np.int64)
    np.cumsum(np.diff(np.asarray(tokens.offsets, dtype=np.int64)) - empty_ballot, out=indptr[1:])
    return indptr, (positions[~empty_token] if n_empty else positions).astype(np.int32, copy=False)
