"""The model against 1945: the V1-V8 targets of shared/history/README.md, on real campaigns.

This runs the historical scenario and the no_air / no_airlift variants AI versus AI (seeded)
and asserts every target, exactly as ``xuefeng validate --runs 200 --seed 0`` does.
"""
from __future__ import annotations

import pytest

from engine.analysis.validate import validate

RUNS = 200  # the acceptance batch; about a minute on two cores
SEED = 0


@pytest.fixture(scope="module")
def targets():
    return {t.id: t for t in validate(runs=RUNS, seed=SEED, jobs=0)}


@pytest.mark.parametrize("target_id", ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8"])
def test_historical_target_is_met(targets, target_id):
    t = targets[target_id]
    assert t.passed, f"{t.id} {t.target}: simulated {t.simulated}, band {t.band}"
