"""Console output shared by the analysis commands (rich is imported only when used)."""
from __future__ import annotations


def wide_console():
    """A rich Console that stays readable when the output is a file or a pipe."""
    from rich.console import Console

    con = Console()
    return con if con.is_terminal else Console(width=140)
