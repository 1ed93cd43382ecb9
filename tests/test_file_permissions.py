"""Saves and edited scenario files are written atomically with ordinary permissions, like a plain write."""
from __future__ import annotations

import os
import stat

import pytest

from engine.core.persistence import write_atomic
from game.editor.files import atomic_write


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("writer", [write_atomic, atomic_write], ids=["save", "editor"])
def test_a_new_file_gets_the_umasks_permissions_not_owner_only(writer, tmp_path, umask_022):
    path = tmp_path / "quicksave.json"
    writer(path, "{}\n")
    assert path.read_text() == "{}\n"
    assert _mode(path) == 0o644


@pytest.mark.parametrize("writer", [write_atomic, atomic_write], ids=["save", "editor"])
def test_replacing_a_file_keeps_its_permissions(writer, tmp_path, umask_022):
    path = tmp_path / "scenario.toml"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    writer(path, "new\n")
    assert path.read_text() == "new\n"
    assert _mode(path) == 0o640


def test_no_temporary_file_is_left_behind(tmp_path):
    write_atomic(tmp_path / "a.json", "1")
    write_atomic(tmp_path / "a.json", "2")
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
