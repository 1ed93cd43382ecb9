"""engine/map/csgraph.py: scipy's searches without the rest of scipy.sparse.csgraph."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_SEARCH = """
import sys
import numpy as np
from engine.map import csgraph
csr_matrix = csgraph.sparse().csr_matrix
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


LAZY_NUMPY = """
import sys, types
import numpy as np
from engine.map import csgraph
csgraph.sparse()
lazy = [n for n in csgraph.LAZY_NUMPY_SUBMODULES if type(sys.modules["numpy." + n]) is not types.ModuleType]
print(lazy == list(csgraph.LAZY_NUMPY_SUBMODULES))
import scipy._lib.array_api_compat.numpy as scipys_numpy
print(scipys_numpy.ma is np.ma is sys.modules["numpy.ma"], int(np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]).sum()))
print(type(np.ma) is types.ModuleType, np.testing.assert_equal(1, 1), callable(np.f2py.run_main))
"""


def test_scipy_sparse_leaves_the_numpy_submodules_it_only_looks_at_lazy_and_they_work_when_first_used():
    all_lazy, same_and_working, loaded = _run(LAZY_NUMPY)
    assert all_lazy == "True"
    assert same_and_working == "True 4"
    assert loaded == "True None True"
