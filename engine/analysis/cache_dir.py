"""Where xuefeng keeps what one process made for the next: drawn base maps, searched fields."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/xuefeng`` (``~/.cache/xuefeng``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xuefeng"
