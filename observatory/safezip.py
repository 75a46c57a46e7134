"""Bounded reading of ZIP archives: sizes and compression ratios are checked before anything is inflated.

A 1.5 KB archive can declare a 1.5 GiB member; reading it whole took the importer to 11 GB of memory.
Every archive the observatory opens (open-data imports, the Decidim collector's download) goes through
:func:`open_archive` and :func:`read_member`, which refuse, in one line naming the archive, member and
limit, archives with too many members, a member or a total larger than the size limit, a member whose
compression ratio is beyond the ratio limit, and encrypted or damaged members. The limits come from the
command line, else ``$OBSERVATORY_ZIP_MAX_BYTES`` / ``$OBSERVATORY_ZIP_MAX_RATIO``, else the defaults below.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from observatory.errors import BadData, BadUsage

DEFAULT_MAX_BYTES = 1024**3          # inflated bytes of all members read from one archive
DEFAULT_MAX_RATIO = 100.0            # inflated / compressed; real CSV exports stay below ~15
DEFAULT_MAX_MEMBERS = 10_000
RATIO_FLOOR_BYTES = 1024**2          # members smaller than this are never refused for their ratio
ENV_MAX_BYTES = "OBSERVATORY_ZIP_MAX_BYTES"
ENV_MAX_RATIO = "OBSERVATORY_ZIP_MAX_RATIO"
_CHUNK = 1024**2


@dataclass(frozen=True)
class ArchiveLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_ratio: float = DEFAULT_MAX_RATIO
    max_members: int = DEFAULT_MAX_MEMBERS

    @classmethod
    def resolve(cls, max_bytes: int | None = None, max_ratio: float | None = None) -> ArchiveLimits:
        """Command-line values first, then the environment, then the defaults."""
        limits = cls(max_bytes=_env_number(ENV_MAX_BYTES, int, DEFAULT_MAX_BYTES),
                     max_ratio=_env_number(ENV_MAX_RATIO, float, DEFAULT_MAX_RATIO))
        if max_bytes is not None:
            limits = replace(limits, max_bytes=max_bytes)
        if max_ratio is not None:
            limits = replace(limits, max_ratio=max_ratio)
        if limits.max_bytes <= 0 or limits.max_ratio <= 0:
            raise BadUsage("archive limits must be positive", f"max bytes {limits.max_bytes}, max ratio "
                           f"{limits.max_ratio:g}", f"set --zip-max-bytes/--zip-max-ratio or ${ENV_MAX_BYTES}")
        return limits

    def how_to_raise(self) -> str:
        return (f"if you trust this archive, raise the limit with --zip-max-bytes/--zip-max-ratio "
                f"(or ${ENV_MAX_BYTES}/${ENV_MAX_RATIO})")


def _env_number(name: str, kind: type, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:
        raise BadUsage(f"${name} is not a number", repr(text), "unset it or give a number") from None


def is_zip(path: Path) -> bool:
    """True for a regular file that starts like a ZIP (``zipfile.is_zipfile`` would also accept a FIFO and block)."""
    return path.is_file() and zipfile.is_zipfile(path)


class BoundedArchive:
    """An open ZIP whose central directory passed the checks; read members with :meth:`read`."""

    def __init__(self, source: Path | IO[bytes], label: str, limits: ArchiveLimits) -> None:
        self.label, self.limits, self.read_bytes = label, limits, 0
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BadData(f"damaged ZIP archive ({exc})", label, "download or copy the archive again") from None
        infos = self.zip.infolist()
        if len(infos) > limits.max_members:
            self.zip.close()
            raise BadData(f"ZIP archive has {len(infos)} members, more than the limit of {limits.max_members}",
                          label, "unzip it and import the folder")

    def __enter__(self) -> BoundedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def members(self) -> list[zipfile.ZipInfo]:
        return sorted((i for i in self.zip.infolist() if not i.is_dir()), key=lambda i: i.filename)

    def check(self, info: zipfile.ZipInfo) -> None:
        """Refuse a member from its declared sizes alone, before inflating a byte."""
        where = f"{self.label}!{info.filename}"
        limits = self.limits
        if info.flag_bits & 0x1:
            raise BadData("encrypted ZIP member", where, "decrypt the archive and import its files")
        if self.read_bytes + info.file_size > limits.max_bytes:
            before = f" (after {self.read_bytes:,} bytes of other members)" if self.read_bytes else ""
            raise BadData(f"ZIP member expands to {info.file_size:,} bytes{before}, past the limit of "
                          f"{limits.max_bytes:,} bytes", where, limits.how_to_raise())
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise BadData(f"ZIP member compression ratio {ratio:,.0f}:1 is beyond the limit of "
                          f"{limits.max_ratio:g}:1 (a ZIP bomb?)", where, limits.how_to_raise())

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, inflated in chunks and never past its declared size or the limits."""
        self.check(info)
        where = f"{self.label}!{info.filename}"
        budget = min(info.file_size, self.limits.max_bytes - self.read_bytes)
        parts: list[bytes] = []
        got = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    got += len(chunk)
                    if got > budget:
                        raise BadData(f"ZIP member inflates past its declared size of {info.file_size:,} bytes",
                                      where, "the archive is damaged or forged; do not import it")
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise BadData(f"damaged ZIP member ({exc})", where, "download or copy the archive again") from None
        self.read_bytes += got
        return b"".join(parts)
