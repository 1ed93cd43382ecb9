"""The open scenario: its TOML (tomlkit, so comments, order and layout are kept), its map
overrides and the map they give, the undo stack, and saving.

* Open + save without edits writes the very bytes that were read.
* Save writes ``scenario.toml`` atomically, and ``map_overrides.toml`` + ``map.json`` when
  the map was edited (``map.json`` = the map as opened with the overrides applied; the same
  overrides are applied by ``xuefeng build-map`` after a rebuild).
* A scenario with errors is never written over ``scenario.toml``: it goes to
  ``scenario.draft.toml`` beside it, whose header names every problem.  Before a save,
  ``xuefeng check`` (``engine.api.check_path``) runs on a scratch copy as well as the
  editor's own problem list (the same loader and game checks, in memory, with targets).
* The 1945 record (``timeline.toml``) is read only when a place it names is renamed, and then
  saved with the scenario (the rename follows into it, comments kept), or beside its draft.
* "Save as" writes a new folder ``<scenarios>/<new_id>/`` (refusing an existing one), so
  the historical scenario is not overwritten by accident.
"""
from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import tomlkit
from pydantic import ValidationError

from engine.api import apply_overrides, dumps_map, HexMap, MapOverrides, OVERRIDES_FILE, SCENARIO_ID, TIMELINE_FILE

from . import files
from .commands import SetValue, UndoStack
from .validation import Problem, validate


class EditorError(Exception):
    """A file the editor cannot open or write; the message names it."""


@dataclass
class SaveResult:
    kind: str  # "saved" or "draft"
    path: Path
    errors: list[str]


class Document:
    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        self.is_draft = False
        path = self.folder / files.SCENARIO_FILE
        draft = self.folder / files.DRAFT_FILE
        if not path.exists() and draft.exists():
            path, self.is_draft = draft, True
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except OSError as exc:
            raise EditorError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except UnicodeDecodeError as exc:
            raise EditorError(f"{path}: not UTF-8 text ({exc})") from None
        text = files.strip_draft_header(text)
        try:
            self.doc = tomlkit.parse(text)
        except Exception as exc:  # tomlkit's ParseError names line and column
            raise EditorError(f"{path}: TOML syntax error: {exc}") from None
        self.opened_text = text
        map_name = str(self.doc.get("meta", {}).get("map", files.MAP_FILE))
        if "/" in map_name or "\\" in map_name or map_name.startswith("."):
            raise EditorError(f"{path}: meta.map: {map_name!r} must be a file name in the scenario folder")
        self.map_path = self.folder / map_name
        try:
            self.map_base = json.loads(self.map_path.read_text(encoding="utf-8"))
            self.overrides = MapOverrides.load(self.folder / OVERRIDES_FILE)
        except (OSError, ValueError) as exc:
            raise EditorError(f"{self.map_path}: cannot read the map ({exc})") from None
        self.saved_overrides = copy.deepcopy(self.overrides)
        self.undo = UndoStack(self)
        self.map: HexMap = None  # type: ignore[assignment]
        self.rebuild_map()
        self._problems: list[Problem] | None = None
        self._problems_key = None
        self.focus_variant: str | None = None
        self._record = None  # timeline.toml as a tomlkit document, once read (record())
        self._record_saved: str | None = None  # its text as read or last saved

    # ------------------------------------------------------------------------- state
    @property
    def path(self) -> Path:
        return self.folder / files.SCENARIO_FILE

    @property
    def text(self) -> str:
        return self.doc.as_string()

    @property
    def dirty(self) -> bool:
        return self.undo.dirty or self.is_draft

    @property
    def scenario_id(self) -> str:
        return str(self.doc.get("meta", {}).get("id", self.folder.name))

    def data(self) -> dict:
        """The document as plain Python data (what the loader would read)."""
        import tomllib

        return tomllib.loads(self.text)

    def map_dict(self) -> dict:
        d = dict(self.map_base)
        d["terrain"] = list(self.map_base["terrain"])
        d["river"] = [list(r) for r in self.map_base["river"]]
        d["road"] = [list(r) for r in self.map_base["road"]]
        d["places"] = list(self.map_base["places"])
        return apply_overrides(d, self.overrides, OVERRIDES_FILE)

    def rebuild_map(self) -> None:
        self.map = HexMap.from_dict(self.map_dict(), source=self.map_path)

    def apply(self, cmd):
        """Do an edit through the undo stack and refresh what depends on it."""
        self.undo.push(cmd)
        self.after_change(cmd)
        return cmd

    def undo_last(self):
        cmd = self.undo.undo()
        if cmd:
            self.after_change(cmd)
        return cmd

    def redo_last(self):
        cmd = self.undo.redo()
        if cmd:
            self.after_change(cmd)
        return cmd

    def after_change(self, cmd) -> None:
        if cmd.touches_map:
            self.rebuild_map()
        self._problems = None

    def record(self):
        """The 1945 record (timeline.toml) as a tomlkit document, read on first use; None when the
        scenario has none.  ValueError naming the file when it cannot be read."""
        path = self.folder / TIMELINE_FILE
        if self._record is None and path.exists():
            try:
                text = path.read_text(encoding="utf-8")
                self._record = tomlkit.parse(text)
            except (OSError, UnicodeDecodeError) as exc:
                raise ValueError(f"{TIMELINE_FILE}: cannot read the record ({exc})") from None
            except Exception as exc:  # tomlkit's ParseError names line and column
                raise ValueError(f"{TIMELINE_FILE}: TOML syntax error: {exc}") from None
            self._record_saved = text
        return self._record

    def record_changed(self) -> bool:
        return self._record is not None and self._record.as_string() != self._record_saved

    # --------------------------------------------------------------------- checking
    def problems(self) -> list[Problem]:
        """The problem list while editing: the engine's game checks for the base and the variant
        being edited (``focus_variant``), the loader's checks for every variant."""
        key = (self.undo.top_id, len(self.undo.undone), self.focus_variant)
        if self._problems is None or key != self._problems_key:
            self._problems = validate(self.text, self.map, {self.focus_variant} if self.focus_variant else set())
            self._problems_key = key
        return self._problems

    def errors(self, full: bool = False) -> list[str]:
        """Errors; ``full``: the game checks of every variant too (what saving requires)."""
        probs = validate(self.text, self.map) if full else self.problems()
        return [p.text for p in probs if p.severity == "error"]

    def scenario_view(self):
        """What the map renderer needs of the scenario (terrain colours, side colours, key places)."""
        from engine.api import Scenario

        try:
            return Scenario.model_validate(self.data())
        except ValidationError:  # mid-edit the scenario may not validate; the problem list says why
            return SimpleNamespace(terrain={}, sides={}, victory=None)

    # ------------------------------------------------------------------------ saving
    def save(self) -> SaveResult:
        """Save in place: the scenario (atomically) or, when it has errors, a draft beside it."""
        errors = self.errors(full=True) or self.engine_check()
        map_changed = self.overrides != self.saved_overrides
        if errors:
            dpath = self.folder / files.DRAFT_FILE
            files.atomic_write(dpath, files.draft_text(self.text, errors))
            if map_changed:
                files.atomic_write(self.folder / files.MAP_DRAFT_FILE, self.overrides.dumps())
            if self.record_changed():
                files.atomic_write(self.folder / files.RECORD_DRAFT_FILE, self._record.as_string())
            return SaveResult("draft", dpath, errors)
        if map_changed or self.overrides != MapOverrides.load(self.folder / OVERRIDES_FILE):
            if self.overrides.is_empty():
                (self.folder / OVERRIDES_FILE).unlink(missing_ok=True)
            else:
                files.atomic_write(self.folder / OVERRIDES_FILE, self.overrides.dumps())
            files.atomic_write(self.map_path, dumps_map(self.map_dict()))
        if self.record_changed():
            files.atomic_write(self.folder / TIMELINE_FILE, self._record.as_string())
            self._record_saved = self._record.as_string()
        files.atomic_write(self.path, self.text)
        for stale in files.DRAFTS:
            (self.folder / stale).unlink(missing_ok=True)
        self.saved_overrides = copy.deepcopy(self.overrides)
        self.is_draft = False
        self.undo.mark_saved()
        return SaveResult("saved", self.path, [])

    def save_as(self, new_id: str, scenarios_dir: Path | None = None) -> SaveResult:
        """Copy the scenario folder to ``<scenarios_dir>/<new_id>/`` with ``meta.id = new_id`` and save there."""
        if not SCENARIO_ID.match(new_id or ""):
            raise EditorError(f"save as: {new_id!r} is not a scenario id (expected lower-case letters, digits and _)")
        root = Path(scenarios_dir) if scenarios_dir else self.folder.parent
        dest = root / new_id
        if dest.exists():
            raise EditorError(f"save as: {dest} already exists (choose another id)")
        dest.mkdir(parents=True)
        for f in self.folder.iterdir():
            if f.is_file() and f.name not in (files.SCENARIO_FILE, *files.DRAFTS):
                shutil.copy2(f, dest / f.name)
        self.folder = dest.resolve()
        self.map_path = self.folder / self.map_path.name
        self.saved_overrides = MapOverrides.load(self.folder / OVERRIDES_FILE)
        if "meta" in self.doc and self.doc["meta"].get("id") != new_id:
            self.apply(SetValue(("meta", "id"), new_id, label="scenario id"))
        self.undo.saved_id = -1  # nothing saved in the new folder yet
        return self.save()

    def engine_check(self) -> list[str]:
        """``xuefeng check`` (engine.api.check_path) on a scratch copy of the scenario as edited:
        the gate before anything is written over scenario.toml."""
        import tempfile

        from engine.api import check_path

        with tempfile.TemporaryDirectory(prefix="xuefeng-check-") as tmp:
            path = self._write_files(Path(tmp) / self.folder.name)
            return [ln.replace(str(path), files.SCENARIO_FILE).replace(str(path.parent) + "/", "")
                    for ln in check_path(path.parent)]

    def write_copy(self, dest: Path) -> Path:
        """Write the scenario as edited into the (new) folder ``dest``, for Play and Test; it must be valid."""
        errors = self.errors(full=True)
        if errors:
            raise EditorError(f"the scenario has {len(errors)} problem(s); fix them first: {errors[0]}")
        return self._write_files(dest)

    def _write_files(self, dest: Path) -> Path:
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        for f in self.folder.iterdir():
            if f.is_file() and f.suffix in (".toml", ".json") and f.name not in (
                    files.SCENARIO_FILE, *files.DRAFTS, self.map_path.name):
                shutil.copy2(f, dest / f.name)
        if self._record is not None:  # the record as edited (a place renamed)
            files.atomic_write(dest / TIMELINE_FILE, self._record.as_string())
        files.atomic_write(dest / self.map_path.name, dumps_map(self.map_dict()))
        files.atomic_write(dest / files.SCENARIO_FILE, self.text)
        return dest / files.SCENARIO_FILE
