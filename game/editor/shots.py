"""The editor screenshots of docs/writing-scenarios.md, made headless on a scratch copy:

    python -m game.editor.shots docs/screenshots [--runs 4]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from engine.api import SCENARIO_DIR


def make_shots(out: Path, runs: int = 4) -> list[Path]:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    import pygame

    from .app import EditorApp
    from .commands import SetValue

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="xuefeng-shots-"))
    made = []
    try:
        work = tmp / "west_hunan_1945"
        shutil.copytree(SCENARIO_DIR / "west_hunan_1945", work)
        app = EditorApp(work, headless=True, size=(1600, 900), spawn=lambda *a, **k: None)

        def shot(name, n=8):
            for _ in range(n):
                app.step([])
            app.flush()
            app.step([])
            p = out / f"editor-{name}.png"
            pygame.image.save(app.screen, str(p))
            made.append(p)

        # 1. the order of battle, a unit's form
        app.select(("unit", "cn_57d"))
        shot("units")
        # 2. map tools: zoom in on the Zi crossing, paint hills with the radius-1 brush, a major river side
        m = app.doc.map
        h = m.places["zhijiang_airfield"].hex
        app.view.camera.zoom_steps(5, animate=False)
        app.view.camera.center_on(float(m.x_km[h]) + 20, float(m.y_km[h]))
        app.set_tool("terrain:M")
        app.set_tool("radius:1")
        from . import tools

        target = int(m.nbr[int(m.nbr[h, 0]), 0])
        app.apply(tools.paint(m, tools.brush(m, target, 1), "M"))
        app.apply(tools.set_river(app.doc.map, h, 3, 2))
        app.hover_hex = int(app.doc.map.nbr[target, 0])
        app.select(("hex", target), center=False)
        shot("map")
        # 3. rules: the combat table with the file's comments as help
        app.set_tool("select")
        app.mode = 2
        app.panels.build(app.layout)
        app.select(("table", ("combat",)), center=False)
        shot("rules")
        # 4. a variant and what it changes
        app.variant = "no_feints"
        app.panels.build(app.layout)
        app.select(("changes", "no_feints"), center=False)
        app.view.camera.fit()
        shot("variant")
        app.variant = None
        # 5. a mistake: the problem list and the draft
        i = app.unit_index("jp_116d_109")
        app.apply(SetValue(("units", i, "start"), "nowhere"))
        app.mode = 0
        app.panels.build(app.layout)
        app.select(("unit", "jp_116d_109"))
        app.save()
        app.flush()
        app.select_problem(next(iter(app.panels.problem_targets)))
        shot("problems")
        app.undo()
        # 6. the Test button, on a change whose effect shows: the 57th Division leaves Dongkou for the airfield
        app.mode = 0
        app.panels.build(app.layout)
        app.select(("unit", "cn_57d"))
        app.move_unit("cn_57d", m.places["zhijiang_airfield"].hex)
        app.panels.runs_entry.set_text(str(runs))
        app.start_test()
        app.test.join(1800)
        shot("test")
        pygame.quit()
        return made
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.editor.shots")
    ap.add_argument("out", type=Path)
    ap.add_argument("--runs", type=int, default=4)
    a = ap.parse_args(argv)
    for p in make_shots(a.out, a.runs):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
