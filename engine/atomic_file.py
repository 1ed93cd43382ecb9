"""Writing a file whole or not at all: a temporary file beside it, renamed over it.

A module of its own, light to import: a batch writes its results with it while its plotting
processes draw (importing the save format, :mod:`engine.core.persistence`, cost ~16 ms there).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new temporary file next to ``path`` with the permissions a plain write would leave.

    That is the replaced file's mode, or for a new file 0o666 less the umask (``tempfile.mkstemp``
    alone would leave every save and scenario readable by its owner only).
    """
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
        return fd, str(tmp)
    raise FileExistsError(f"{path.parent}: cannot create a temporary file for {path.name}")


def write_atomic(path: str | Path, text: str, durable: bool = True) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file.

    ``durable`` also flushes the file to the disk before it replaces the old one (fsync), so
    even a power cut leaves one of the two; files that can be made again exactly (a batch's
    results, from its seed) skip that wait.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temp_beside(path)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError) and exc.filename is None:  # name the file (disk full, read-only, ...)
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise
