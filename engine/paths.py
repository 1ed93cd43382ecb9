"""Where the project's folders are: the one place that turns the checkout into paths.

Paths are never read from data files; scenarios are found by id under ``SCENARIO_DIR``
or by a path the user gives on the command line.
"""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = REPO_ROOT / "scenarios"
ASSETS_DIR = REPO_ROOT / "assets"
#: the shared reference data (elevation, rivers, places) beside the checkout
REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference"
