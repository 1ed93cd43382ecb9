"""`xuefeng schema`: a JSON Schema of scenario.toml from the pydantic models."""
from __future__ import annotations

import json

from engine.scenario.schema import Scenario, Unit
from game.cli import main


def test_schema_prints_json_naming_every_table_and_forbidding_unknown_unit_fields(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == set(Scenario.model_fields)
    unit = schema["$defs"]["Unit"]
    assert unit["additionalProperties"] is False and set(unit["properties"]) == set(Unit.model_fields)
    assert unit["properties"]["men"]["exclusiveMinimum"] == 0


def test_schema_to_an_unwritable_file_is_a_clear_error(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_edit_names_a_missing_scenario_and_exits_2(capsys):
    assert main(["edit", "no_such_scenario_here"]) == 2
    assert "no such scenario folder" in capsys.readouterr().err


def test_edit_without_a_display_says_so_and_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["edit", "west_hunan_1945"]) == 2
    assert "no display" in capsys.readouterr().err
