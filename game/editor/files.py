"""Files of a scenario folder and atomic writes (a crash never leaves half a file)."""
from __future__ import annotations

from pathlib import Path

from engine.api import write_atomic

SCENARIO_FILE = "scenario.toml"
DRAFT_FILE = "scenario.draft.toml"
MAP_FILE = "map.json"
MAP_DRAFT_FILE = "map_overrides.draft.toml"
RECORD_DRAFT_FILE = "timeline.draft.toml"  # the 1945 record as edited (a place renamed) beside a draft
DRAFTS = (DRAFT_FILE, MAP_DRAFT_FILE, RECORD_DRAFT_FILE)
DRAFT_HEADER = "# DRAFT saved by `xuefeng edit`: this scenario has errors and is NOT loadable.\n"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename
    (the engine's writer: the file keeps its permissions, a new one gets the umask's)."""
    write_atomic(path, text)


def draft_text(text: str, errors: list[str]) -> str:
    """The draft file: a header naming every problem, then the scenario text."""
    lines = [DRAFT_HEADER, f"# {len(errors)} problem(s) to fix before it can be saved as {SCENARIO_FILE}:\n"]
    lines += [f"#   {e}\n" for e in errors[:50]]
    if len(errors) > 50:
        lines.append(f"#   ... and {len(errors) - 50} more\n")
    lines.append("# (the lines up to here are added by the editor and dropped when it opens the draft)\n")
    return "".join(lines) + text


def strip_draft_header(text: str) -> str:
    if not text.startswith(DRAFT_HEADER):
        return text
    marker = "# (the lines up to here are added by the editor and dropped when it opens the draft)\n"
    i = text.find(marker)
    return text[i + len(marker):] if i >= 0 else text
