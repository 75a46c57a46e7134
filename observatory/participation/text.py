"""Cleaning of the text and date values found in real exports.

Plain-text fields (titles, names, comments, summaries) are stored as served, tags and all: a title that
reads ``<script>...</script>`` is what its author typed, and escaping is the display's job (the dashboard
never renders stored text as HTML; reports escape it). Only fields that are HTML in the source
(descriptions written in a rich-text editor) are converted to text.

Exports carry HTML in descriptions, a spreadsheet-formula guard (a leading ``'``), several date
layouts (``dd/mm/yyyy``, ``dd/mm/yyyy HH``, Ruby's ``2017-02-07 07:58:01 UTC``, ISO 8601) and junk
entries left by testers; each helper here handles one of these so importers and collectors agree.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone

_SPACES = re.compile(r"[ \t\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"]


def plain_text(value: str | None) -> str | None:
    """A plain-text field as served: line ends normalised, outer blanks trimmed, nothing else touched."""
    if value is None:
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


_RICH_TEXT_START = re.compile(r"^\s*<(p|div|ul|ol|h[1-6]|blockquote|pre|table|br|strong|em|b|i|span|a)\b[^>]*>",
                              re.IGNORECASE)


def rich_text_to_text(value: str | None) -> str | None:
    """A field that is HTML in some platform versions and plain text in others (Decidim's proposal body):
    converted only when it reads as editor output (starts with an element tag), else kept as served."""
    if value is not None and _RICH_TEXT_START.match(value):
        return html_to_text(value)
    return plain_text(value)


def html_to_text(value: str | None) -> str | None:
    """Plain text of an HTML fragment (tags dropped, entities decoded), for fields that are HTML in the source."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in value and "&" not in value:
        return value.strip()
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning  # imported on use: only markup needs parsing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(value, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCK_TAGS):
        block.append("\n")
    text = soup.get_text("")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", text).strip()


def unguard(value: str | None) -> str | None:
    """Drop the leading ``'`` Decidim adds before values starting with ``= + - @`` (formula guard)."""
    if value and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def empty_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


_TZ = re.compile(r"^(?P<base>.+?)\s*(?P<tz>UTC|Z|[+-]\d{2}:?\d{2})$")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f",
            "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H", "%d/%m/%Y", "%Y-%m-%d")


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse the date-time layouts seen in Decidim/Consul exports; return naive UTC.

    Raises ``ValueError`` naming the value when no layout matches, so callers can report the cell.
    """
    value = empty_to_none(value)
    if value is None:
        return None
    offset: timezone | None = None
    m = _TZ.match(value)
    if m:
        value, tz = m.group("base"), m.group("tz")
        if tz in ("UTC", "Z"):
            offset = UTC
        else:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if offset is not None:
            parsed = parsed.replace(tzinfo=offset).astimezone(UTC).replace(tzinfo=None)
        return parsed
    raise ValueError(f"unrecognised date {value!r}")


def parse_date(value: str | None) -> date | None:
    parsed = parse_timestamp(value)
    return parsed.date() if parsed else None


def parse_int(value: str | None) -> int | None:
    """Integer cell; ``'12.0'`` is accepted (pandas writes counts that way), ``'1,5'`` is not."""
    value = empty_to_none(value)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        as_float = float(value)
        if not as_float.is_integer():
            raise ValueError(f"not a whole number: {value!r}") from None
        return int(as_float)


def parse_float(value: str | None) -> float | None:
    value = empty_to_none(value)
    return None if value is None else float(value)


def parse_bool(value: str | None) -> bool | None:
    value = empty_to_none(value)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("true", "t", "1", "yes"):
        return True
    if lowered in ("false", "f", "0", "no"):
        return False
    raise ValueError(f"not a boolean: {value!r}")


def pseudonym(instance_id: str, author: str | None) -> str | None:
    """Stable pseudonymous author key: lets analyses count distinct authors without storing names."""
    author = empty_to_none(author)
    if author is None:
        return None
    return hashlib.sha256(f"{instance_id}\x1f{author}".encode()).hexdigest()[:16]


_TEST_TITLE = re.compile(r"\b(ssrf|xss|sqli|testsia|lorem ipsum|prueba de|test(ing)?)\b", re.IGNORECASE)


def junk_flag(title: str | None) -> str | None:
    """``'test_entry'`` for titles that announce a test or a probe (seen in Decide Madrid's export)."""
    if title and _TEST_TITLE.search(title):
        return "test_entry"
    return None
