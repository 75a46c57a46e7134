"""Every file a command writes (``-o``): checked against the store, written whole or not at all.

One helper for ``export``, ``report`` and any future ``-o``: the target may not be the database, its
WAL/lock/working copy, the raw archive or anything inside it; a folder or an existing file (without
``--force``) is refused with one line; the bytes go to a temporary file beside the target that is
renamed into place, so a failed write never leaves half a file and never replaces a good one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from observatory.config import Settings
from observatory.errors import BadUsage
from observatory.messages import say
from observatory.store import companion_files


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def protected_reason(path: Path, settings: Settings) -> str | None:
    """Why ``path`` may not be written by an output, or None when it may."""
    target = path.expanduser().resolve()
    for own in companion_files(settings.db_path.expanduser().resolve()):
        if _same(target, own):
            return say("cli.output.is_database")
    archive = settings.archive_dir.expanduser().resolve()
    if _same(target, archive) or _inside(target, archive):
        return say("cli.output.in_archive")
    return None


def check_output(path: Path, settings: Settings, force: bool = False) -> Path:
    """Refuse a target that would destroy the store, is a folder, or exists without ``force``."""
    reason = protected_reason(path, settings)
    if reason:
        raise BadUsage(say("cli.output.protected", reason=reason), str(path), say("cli.todo.other_output_nothing"))
    if path.is_dir():
        raise BadUsage(say("cli.output.is_folder"), str(path), say("cli.todo.output_file_name"))
    if path.exists() and not force:
        raise BadUsage(say("cli.output.exists"), str(path), say("cli.todo.force_or_other"))
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise BadUsage(say("cli.output.folder_is_file"), str(parent), say("cli.todo.other_output"))
    return path


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise BadUsage(say("cli.output.cannot_write", detail=exc.strerror or exc), str(path),
                       say("cli.todo.writable_folder")) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise BadUsage(say("cli.output.cannot_write", detail=exc.strerror or exc), str(path),
                       say("cli.todo.writable_folder_space")) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (checked beforehand with :func:`check_output`)."""
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
