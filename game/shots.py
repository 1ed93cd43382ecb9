"""``xuefeng play --screenshot FILE [--turn N]``: render one frame headless and exit.

With ``--turn N`` the computer plays both sides up to turn N first, then the frame shows
the human side's movement phase with a front-line unit selected (its reachable hexes and
the enemy's zones of control lit), so the picture is of a battle in progress.
"""
from __future__ import annotations

import sys
from pathlib import Path


def _front_unit(app):
    """A unit of the side to move next to the enemy (or the one nearest the airfield)."""
    s = app.session
    st = s.state
    game = app.game
    mine = [u for u in st.units if u.status == "active" and u.side == st.side and u.mp > 0]
    if not mine:
        return None
    occ = {u.hex: u.side for u in st.units if u.status == "active"}
    front = [u for u in mine if any(occ.get(int(n), st.side) != st.side for n in game.map.nbr[u.hex] if n >= 0)]
    pool = front or mine
    return max(pool, key=lambda u: u.men)


def prepare(app, select: bool = True) -> None:
    s = app.session
    st = s.state
    if select and st.phase == "move" and not st.over:
        u = _front_unit(app)
        if u is not None:
            s.select_unit(u.id)
            cam = app.camera
            i = min(len(cam.levels) - 1, 4)
            cam.zoom_to(cam.levels[i], animate=False)
            app.center_on_unit(u.id)
            # point at a reachable hex to show the path preview
            if s.reach:
                far = max(s.reach, key=lambda h: len(s.reach[h]))
                app.set_hover(app.hex_screen_pos(far))


def screenshot(cfg, path: str, turn: int | None = None) -> int:
    from .app import App

    cfg.threaded_ai = False
    cfg.ai_speed = "instant"
    try:
        app = App(cfg, headless=True)
    except ValueError as exc:
        print(f"xuefeng play: {exc}", file=sys.stderr)
        return 2
    if turn:
        app.autoplay_to(int(turn))
        prepare(app)
    else:
        app.wait_ai()
    for _ in range(3):
        app.step([])
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    app.pg.image.save(app.screen, str(out))
    st = app.session.state
    print(f"wrote {out} ({app.screen.get_width()}x{app.screen.get_height()}): turn {st.turn}, {st.side} {st.phase}")
    return 0


def make_docs(out_dir: str = "docs/screenshots", seed: int = 1) -> list[str]:
    """The README's pictures (1600x900): the theatre at the start, a movement order, a combat
    preview, and the Chinese interface (Japan's movement order on turn 6).

    ``python -m game.shots [OUT_DIR]`` writes them."""
    from .app import App, Config

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(app, name):
        for _ in range(3):
            app.step([])
        p = out / name
        app.pg.image.save(app.screen, str(p))
        written.append(str(p))

    cfg = Config(seed=seed, threaded_ai=False, ai_speed="instant")
    # 1. the theatre on turn 1
    app = App(cfg, headless=True)
    app.wait_ai()
    cam = app.camera
    cam.zoom_to(cam.levels[1], animate=False)
    m = app.game.map
    a = app.game.airfield_hex
    sh = app.game.place_hex.get("shaoyang", a)
    cam.center_on((m.x_km[a] + m.x_km[sh]) / 2 + 10, (m.y_km[a] + m.y_km[sh]) / 2 - 5)
    app.session.messages.clear()  # no passing notice over the theatre
    save(app, "overview.png")
    # 2. a movement order in a battle in progress
    app = App(cfg, headless=True, game=app.game)
    app.autoplay_to(8)
    prepare(app)
    save(app, "movement.png")
    # 3. an attack with its odds
    app = App(cfg, headless=True, game=app.game)
    app.autoplay_to(10, stop_side="china", stop_phase="combat")
    s = app.session
    st = s.state
    best = None
    for t in sorted({u.hex for u in st.active_units("japan")}):
        nb = set(int(n) for n in app.game.map.nbr[t])
        att = [u.id for u in st.active_units("china") if u.hex in nb and not u.attacked]
        if att:
            from engine.api import attack_preview

            p = attack_preview(st, att, t)
            if p.get("allowed", True) and (best is None or p["ratio"] > best[0]):
                best = (p["ratio"], t)
    if best is not None:
        s.click_hex(best[1])
        app.inspect_hex = best[1]
        cam = app.camera
        cam.zoom_to(cam.levels[min(len(cam.levels) - 1, 5)], animate=False)
        cam.center_on(float(app.game.map.x_km[best[1]]), float(app.game.map.y_km[best[1]]))
        app.set_hover((app.screen.get_width() - 4, app.screen.get_height() - 4))  # no map tooltip over the fight
    save(app, "combat.png")
    # 4. the Chinese interface: Japan's movement order on turn 6
    app = App(Config(seed=seed, threaded_ai=False, ai_speed="instant", side="japan", lang="zh"), headless=True,
              game=app.game)
    try:
        app.autoplay_to(6)
        prepare(app)
        save(app, "zh.png")
    finally:
        from .i18n import set_lang

        set_lang("en")
    return written


if __name__ == "__main__":
    for f in make_docs(*sys.argv[1:2]):
        print("wrote", f)
