"""engine/map/csgraph.py: scipy's searches without the rest of scipy.sparse.csgraph."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_SEARCH = """
import sys
import numpy as np
from scipy.sparse import csr_matrix
from engine.map import csgraph
m = csr_matrix((np.array([1.0, 2.0]), (np.array([0, 1]), np.array([1, 2]))), shape=(3, 3))
print(csgraph.dijkstra(m, indices=0).tolist(), csgraph.connected_components(m, directed=False)[0])
print(sorted(m for m in ("scipy.linalg", "scipy.sparse.linalg", "scipy.sparse.csgraph") if m in sys.modules))
import scipy.sparse.csgraph as whole
print(whole.dijkstra is csgraph._searches[0], whole.connected_components is csgraph._searches[1])
"""


def _run(code: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_a_first_search_imports_neither_the_package_nor_scipys_linear_algebra_and_the_package_after_has_the_same_functions():
    found, imported, same = _run(FIRST_SEARCH)
    assert found == "[0.0, 1.0, 3.0] 1"
    assert imported == "[]"
    assert same == "True True"


def test_with_the_package_already_imported_its_own_functions_are_used():
    code = "import scipy.sparse.csgraph as whole\n" + FIRST_SEARCH
    found, imported, same = _run(code)
    assert found == "[0.0, 1.0, 3.0] 1"
    assert "scipy.sparse.csgraph" in imported and same == "True True"
