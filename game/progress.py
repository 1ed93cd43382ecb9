"""A rich progress bar on stderr for long commands that report ``step(what, done, total)``
(``xuefeng bench``); the command's own output stays on stdout."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def step_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A ``step(what, done, total)`` callback drawing one bar (removed when the command ends)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as prog:
        task = prog.add_task("starting", total=None)

        def step(what: str, done: int, total: int) -> None:
            prog.update(task, description=what, completed=done, total=total)

        yield step
