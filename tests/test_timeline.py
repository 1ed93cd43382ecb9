"""The timeline report: fall and retake dates of the record's places, from control changes."""
from __future__ import annotations

import datetime as dt

import pytest

from engine.analysis import timeline as tl

D = dt.date.fromisoformat


def record():
    return tl.Record.model_validate({"places": [
        {"key": "xinning", "fell": [D("1945-04-16"), D("1945-04-16")], "retaken": [D("1945-05-06"), D("1945-05-06")]},
        {"key": "wugang", "held": True},
    ]})


def run(changes):
    return {"_control_changes": changes}


def test_a_place_that_fell_and_came_back_counts_both_dates():
    rows = [run({"xinning": [["1945-04-17", "japan"], ["1945-05-07", "china"]]})]
    t = tl.place_timeline(rows, record())[0]
    assert t["fell_share"] == 1 and t["retaken_share"] == 1 and t["japanese_at_end_share"] == 0
    assert t["fell_dates"][1] == D("1945-04-17") and t["retaken_dates"][1] == D("1945-05-07")


def test_a_place_still_japanese_at_the_end_is_counted_so():
    rows = [run({"xinning": [["1945-04-17", "japan"]]}), run({})]
    t = tl.place_timeline(rows, record())[0]
    assert t["fell_share"] == 0.5 and t["retaken_share"] == 0 and t["japanese_at_end_share"] == 0.5
    assert t["retaken_dates"] is None


def test_median_dates_over_runs():
    rows = [run({"xinning": [[f"1945-04-{d}", "japan"]]}) for d in (11, 17, 23)]
    assert tl.place_timeline(rows, record())[0]["fell_dates"][1] == D("1945-04-17")


def test_a_record_place_must_say_fell_or_held():
    with pytest.raises(ValueError):
        tl.RecordPlace.model_validate({"key": "x"})
    with pytest.raises(ValueError):
        tl.RecordPlace.model_validate({"key": "x", "held": True, "fell": [D("1945-04-16"), D("1945-04-16")]})


def test_the_scenario_record_loads_and_names_map_places(game):
    rec = tl.load_record(game)
    keys = [p.key for p in rec.places]
    assert {"xinning", "wuyang", "wugang"} <= set(keys)


def test_the_table_and_the_chart_are_made(game, tmp_path):
    rows = [run({"xinning": [["1945-04-17", "japan"], ["1945-05-07", "china"]], "wuyang": [["1945-04-29", "japan"]]})]
    places = tl.place_timeline(rows, tl.load_record(game))
    assert tl.table_rows(places)[0][:3] == ["xinning", "fell 16 Apr, retaken 06 May", "100%"]
    png = tmp_path / "timeline.png"
    tl.plot_png(places, png, game.start_date, game.end_date)
    assert png.stat().st_size > 10_000
