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

:mod:`scipy.sparse` itself comes from :func:`sparse`, which first leaves numpy's submodules
that scipy's array-API layer only looks at lazy (:data:`LAZY_NUMPY_SUBMODULES`): ~55 ms of CPU.

Nothing is imported until a search is first made (``import engine.api`` loads no scipy).
"""
from __future__ import annotations

import importlib.util
import sys
import threading

_PACKAGE = "scipy.sparse.csgraph"
_lock = threading.RLock()
_searches: tuple | None = None
_sparse = None

#: numpy's submodules that ``import scipy.sparse`` only looks at: its array-API layer copies
#: every public name of numpy into a namespace of its own (``hasattr`` on each), which imports
#: each of these (~55 ms of CPU: f2py, numpy.testing with unittest, numpy.ma, ...) for names
#: scipy's sparse matrices and graph searches never use.
LAZY_NUMPY_SUBMODULES = ("f2py", "testing", "ma", "polynomial", "ctypeslib")


def _numpy_submodules_lazily() -> None:
    """Import :data:`LAZY_NUMPY_SUBMODULES` not yet imported as lazy modules
    (:class:`importlib.util.LazyLoader`, the standard library's recipe): each is the real module,
    in ``sys.modules`` and as numpy's attribute, and runs its code on its first attribute access."""
    import numpy

    for name in LAZY_NUMPY_SUBMODULES:
        full = f"numpy.{name}"
        if full in sys.modules:
            continue
        spec = importlib.util.find_spec(full)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            continue  # a numpy laid out otherwise: imported as usual when scipy asks
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
        setattr(numpy, name, module)


def sparse():
    """:mod:`scipy.sparse`, imported with numpy's submodules it only looks at left lazy
    (:func:`_numpy_submodules_lazily`)."""
    global _sparse
    if _sparse is None:
        with _lock:
            if "scipy.sparse" not in sys.modules:
                _numpy_submodules_lazily()
            import scipy.sparse

            _sparse = scipy.sparse
    return _sparse


def _without_the_package() -> tuple | None:
    """(dijkstra, connected_components) imported under a stand-in package, or None."""
    sparse()
    spec = importlib.util.find_spec(_PACKAGE)
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
