"""What one process made for the next, kept under ``$XDG_CACHE_HOME/xuefeng``: drawn base maps
and figure frames (:mod:`engine.analysis.plots`) and searched fields (:mod:`engine.analysis.field_store`).

Each entry is one ``.npz`` of numpy arrays (never pickles), named ``<kind>-<digest>.npz`` after a
digest of everything its contents follow from, written whole or not at all, the newest few of a
kind kept.  A damaged entry is seen by the zip format's CRC-32 of each array, which
:func:`numpy.load` checks as it reads: it is not used, and its maker draws or searches again.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/xuefeng`` (``~/.cache/xuefeng``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xuefeng"


def digest(*parts) -> str:
    """32 hex digits of a SHA-256 over ``parts`` (bytes, numpy arrays with their dtype and shape,
    or anything else by its repr), each length-prefixed so no two lists of parts run together."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            b = repr((part.dtype.str, part.shape)).encode() + np.ascontiguousarray(part).tobytes()
        elif isinstance(part, bytes):
            b = part
        else:
            b = repr(part).encode()
        h.update(len(b).to_bytes(8, "little") + b)
    return h.hexdigest()[:32]


def entry_path(kind: str, key: str) -> Path:
    """Where the entry of ``kind`` made from what ``key`` digests is kept."""
    return cache_dir() / f"{kind}-{key}.npz"


def read_entry(path: Path, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The arrays ``names`` of the entry at ``path``, or None when it is not there or not whole
    (a bad CRC-32, truncated, another format, a name missing)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            return {n: z[n] for n in names}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None


def keep_entry(path: Path, newest: int, **arrays: np.ndarray) -> bool:
    """Write ``arrays`` as the entry at ``path`` (a temporary file renamed: whole or not at all)
    and drop all but the ``newest`` entries of its kind; whether it was written.  A cache that
    cannot be written (a read-only home) costs only the next process's work."""
    kind = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, path)
        kept = sorted(path.parent.glob(f"{kind}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[newest:]:
            old.unlink(missing_ok=True)
    except OSError:
        return False
    return True
