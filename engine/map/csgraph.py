"""scipy's compiled graph searches (Dijkstra, connected components) without the rest of
:mod:`scipy.sparse.csgraph`.

``import scipy.sparse.csgraph`` runs the package's ``__init__``, which also imports its graph
Laplacian and through it :mod:`scipy.sparse.linalg` and :mod:`scipy.linalg`: ~60 ms of CPU, a
tenth of a one-run ``xuefeng sim``, for nothing the searches use.  Here the two compiled modules
the engine calls (``_shortest_path``, ``_traversal``, with their own imports) are imported
under a bare package object standing in for ``scipy.sparse.csgraph`` (its ``__init__`` not
run), removed again at once: a later ``import scipy.sparse.csgraph`` runs the real package,
which finds those modules already imported, so its functions are these very ones.  Should a
scipy lay its modules out otherwise, the package is imported whole instead (the same
functions; only the time is not saved).  tests/test_csgraph.py checks that they are the
package's own.

Nothing is imported until a search is first made (``import engine.api`` loads no scipy).
"""
from __future__ import annotations

import importlib.util
import sys
import threading

_PACKAGE = "scipy.sparse.csgraph"
_lock = threading.Lock()
_searches: tuple | None = None


def _without_the_package() -> tuple | None:
    """(dijkstra, connected_components) imported under a stand-in package, or None."""
    spec = importlib.util.find_spec(_PACKAGE)  # imports the parent, scipy.sparse, whole
    if spec is None or spec.submodule_search_locations is None:
        return None
    sys.modules[_PACKAGE] = importlib.util.module_from_spec(spec)
    try:
        from scipy.sparse.csgraph._shortest_path import dijkstra
        from scipy.sparse.csgraph._traversal import connected_components
    except ImportError:
        return None
    finally:
        del sys.modules[_PACKAGE]
    return dijkstra, connected_components


def _load() -> tuple:
    global _searches
    with _lock:
        if _searches is None:
            got = None if _PACKAGE in sys.modules else _without_the_package()
            if got is None:
                from scipy.sparse.csgraph import connected_components, dijkstra

                got = dijkstra, connected_components
            _searches = got
    return _searches


def dijkstra(*args, **kwargs):
    """:func:`scipy.sparse.csgraph.dijkstra`."""
    return (_searches or _load())[0](*args, **kwargs)


def connected_components(*args, **kwargs):
    """:func:`scipy.sparse.csgraph.connected_components`."""
    return (_searches or _load())[1](*args, **kwargs)
