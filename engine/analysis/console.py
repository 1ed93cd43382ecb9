"""Console output shared by the analysis commands (rich is imported only when used)."""
from __future__ import annotations

import os
import sys


def wide_console():
    """A rich Console that stays readable when the output is a file or a pipe."""
    from rich.console import Console

    con = Console()
    return con if con.is_terminal else Console(width=140)


def line_console():
    """Where a command prints its closing lines: :func:`wide_console` on a terminal (or with
    ``FORCE_COLOR``), else :class:`PlainLines`, which prints the same text without importing
    rich (~30 ms of CPU at the end of a short batch, spent while its plots are drawn)."""
    if sys.stdout.isatty() or os.environ.get("FORCE_COLOR"):
        return wide_console()
    return PlainLines()


class PlainLines:
    """Lines of plain text to standard output, printed as :meth:`rich.console.Console.print`
    would print them with ``markup=False`` into a file: no styles, no wrapping."""

    def print(self, text: str = "", *, style: str | None = None, markup: bool = False, emoji: bool = False) -> None:
        try:
            sys.stdout.write(f"{text}\n")
            sys.stdout.flush()
        except BrokenPipeError:  # as rich does: the reader went away; say nothing more, exit 1
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None
