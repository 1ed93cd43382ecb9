"""Heads-up drawing outside pygame_gui: the top bar's status line, the right column's
backdrop, the banner while the computer plays, and the message toasts."""
from __future__ import annotations

import time

import pygame

from . import fonts
from .panels import TOP
from .counters import MARKS
from .texts import MARK_TEXT, PHASES, PHASES_ZH, SIDE_EN, SIDE_ZH, date_range

BAR = (24, 28, 34)
MARK_RGB = {"routed": (255, 120, 110), "retreated": (250, 185, 80)}
GOLD = (232, 184, 88)
TEXT = (232, 228, 216)
GREY = (160, 156, 146)


def _chip(screen, x, y, label, bg, fg=(20, 20, 20), size=15, bold=True, pad=8) -> int:
    t = fonts.text(label, size, fg, bold)
    r = pygame.Rect(x, y, t.get_width() + 2 * pad, TOP - 16)
    pygame.draw.rect(screen, bg, r, border_radius=5)
    screen.blit(t, (x + pad, y + (r.h - t.get_height()) // 2))
    return r.right + 8


def _txt(screen, x, y, s, col=TEXT, size=15, bold=False) -> int:
    t = fonts.text(s, size, col, bold)
    screen.blit(t, (x, y + (TOP - 16 - t.get_height()) // 2))
    return x + t.get_width() + 12


def _topbar_items(app, stage: int) -> list[tuple]:
    """The status line as (kind, text, colour, size, bold) items; higher stages are more compact
    (fewer labels, English only, no date, no title) for narrow windows."""
    st = app.session.state
    game = app.game
    lang = "en" if stage >= 2 else app.settings["lang"]
    side_rgb = app.board.counters.side_rgb.get(st.side, (200, 200, 200))
    lum = 0.299 * side_rgb[0] + 0.587 * side_rgb[1] + 0.114 * side_rgb[2]
    fg = (20, 20, 20) if lum > 140 else (250, 250, 245)
    side_name = SIDE_EN[st.side] if lang == "en" else SIDE_ZH[st.side] if lang == "zh" else f"{SIDE_EN[st.side]} {SIDE_ZH[st.side]}"
    phase = PHASES[st.phase] if lang == "en" else PHASES_ZH[st.phase] if lang == "zh" else f"{PHASES[st.phase]} {PHASES_ZH[st.phase]}"
    who = "you" if st.side in app.session.human else "computer"
    wt = getattr(game.scenario.air, "weather", {}).get(st.weather) if hasattr(game.scenario, "air") else None
    wzh = getattr(wt, "label_zh", "") if wt is not None else ""
    wlabel = st.weather.replace("_", " ")
    if lang != "en" and wzh:
        wlabel = wzh if lang == "zh" else f"{wlabel} {wzh}"
    wcol = {"clear": (250, 220, 120), "rain": (140, 180, 255)}.get(st.weather, (200, 205, 215))
    items = []
    if stage < 3:
        items.append(("txt", "雪峰 XUEFENG" if stage == 0 else "雪峰", GOLD, 16, True))
    items.append(("txt", f"Turn {st.turn}/{game.n_turns}" if stage < 2 else f"T{st.turn}/{game.n_turns}", TEXT, 15, True))
    if stage < 2:
        items.append(("txt", date_range(game, st.turn), TEXT, 15, False))
    if st.over:
        items.append(("chip", f"OVER: {SIDE_EN.get(st.winner, '—')} wins", (200, 60, 50), (255, 255, 255)))
    items.append(("chip", f"{side_name} · {phase}", side_rgb, fg))
    if stage == 0:
        items.append(("txt", f"({who})", GREY, 13, False))
        items.append(("label", "Weather", GREY, 13, False))
    items.append(("txt", wlabel, wcol, 15, True))
    if stage == 0:
        items.append(("label", "Sorties left", GREY, 13, False))
    items.append(("txt", ("Sorties " if stage >= 1 else "") + sorties_status(st), TEXT, 15, False))
    return items


def _item_width(item) -> int:
    if item[0] == "chip":
        return fonts.font(15, True).size(item[1])[0] + 16 + 8
    return fonts.font(item[3], item[4]).size(item[1])[0] + (4 if item[0] == "label" else 12)


def draw_topbar(screen, app) -> None:
    """The status line, as compact as the window needs so it never runs under the buttons;
    ``app.topbar_extent`` records where it ends."""
    W = screen.get_width()
    pygame.draw.rect(screen, BAR, (0, 0, W, TOP))
    pygame.draw.line(screen, (70, 62, 44), (0, TOP - 1), (W, TOP - 1), 1)
    limit = app.panels.topbar_right
    for stage in range(4):
        items = _topbar_items(app, stage)
        if 10 + sum(_item_width(i) for i in items) <= limit:
            break
    y, x = 8, 10
    for item in items:
        if item[0] == "chip":
            x = _chip(screen, x, y, item[1], item[2], item[3])
        elif item[0] == "label":
            x = _txt(screen, x, y, item[1], item[2], item[3], item[4]) - 8
        else:
            x = _txt(screen, x, y, item[1], item[2], item[3], item[4])
    app.topbar_extent = x
    if x > limit:  # narrower than the most compact line: cut it at the buttons
        pygame.draw.rect(screen, BAR, (limit, 0, W - limit, TOP - 1))


def sorties_status(st) -> str:
    """'J 0 (15 up) · C 72': sorties each side has left and, when it has missions up, how many fly."""
    parts = []
    for side, letter in (("japan", "J"), ("china", "C")):
        up = sum(int(m.get("sorties", 0)) for m in st.missions if m.get("side") == side)
        parts.append(f"{letter} {st.sorties_left.get(side, 0)}" + (f" ({up} up)" if up else ""))
    return " · ".join(parts)


def draw_right_backdrop(screen, app) -> None:
    r = app.panels.right_rect
    pygame.draw.rect(screen, (30, 34, 41), r)
    pygame.draw.line(screen, (70, 62, 44), r.topleft, r.bottomleft, 1)


def draw_ai_banner(screen, app) -> None:
    st = app.session.state
    if not (app.ai.busy or app.ai.wants_turn(st)) or st.over:
        return
    vx, vy, w, h = app.camera.view
    dots = "." * (1 + int(time.monotonic() * 3) % 3)
    verb = "thinking" if app.ai.status == "thinking" else "playing"
    label = f"{SIDE_EN[st.side]} is {verb} its {PHASES[st.phase].lower()} phase{dots}   (Space: skip)"
    t = fonts.text(label, 16, (255, 255, 255), True)
    r = pygame.Rect(0, 0, t.get_width() + 28, t.get_height() + 12)
    r.midtop = (vx + w // 2, vy + 10)
    s = pygame.Surface(r.size, pygame.SRCALPHA)
    col = app.board.counters.side_rgb.get(st.side, (80, 80, 80))
    s.fill((*[int(c * 0.6) for c in col], 220))
    screen.blit(s, r.topleft)
    pygame.draw.rect(screen, (255, 255, 255), r, 1, border_radius=3)
    screen.blit(t, (r.x + 14, r.y + 6))


def draw_toasts(screen, app) -> None:
    """The last few messages at the bottom of the map (errors stay longer)."""
    now = time.monotonic()
    vx, vy, w, h = app.camera.view
    live = [m for m in app.session.messages if now - m.t < {"error": 7.0, "ai": 2.5}.get(m.level, 4.0)]
    ai = [m for m in live if m.level == "ai"][-1:]
    msgs = sorted([m for m in live if m.level != "ai"][-3:] + ai, key=lambda m: m.t)
    y = vy + h - 12
    for m in reversed(msgs):
        col = {"error": (150, 30, 24), "ai": (40, 48, 60), "info": (36, 70, 50)}.get(m.level, (40, 40, 40))
        fg = (255, 255, 255)
        text = m.text if len(m.text) < 160 else m.text[:157] + "…"
        t = fonts.text(text, 15, fg, m.level == "error")
        r = pygame.Rect(0, 0, min(w - 40, t.get_width() + 24), t.get_height() + 10)
        r.midbottom = (vx + w // 2, y)
        s = pygame.Surface(r.size, pygame.SRCALPHA)
        s.fill((*col, 230))
        screen.blit(s, r.topleft)
        pygame.draw.rect(screen, (255, 120, 100) if m.level == "error" else (120, 120, 120), r, 1, border_radius=3)
        screen.blit(t, (r.x + 12, r.y + 5), area=pygame.Rect(0, 0, r.w - 24, r.h))
        y = r.y - 6


TOOLTIP_DELAY = 0.35


def tooltip_lines(app, h: int) -> list[tuple[str, tuple, bool]]:
    """The tooltip of hex ``h`` as (text, colour, bold) lines: terrain, place, units and their marks."""
    from .texts import hex_description

    st = app.session.state
    lines = [(ln, TEXT, i == 0) for i, ln in enumerate(hex_description(app.game, st, app.namer, h))]
    marks = app.board.marks(st, app.session.rev)
    for u in app.session.units_at(h):
        col = (236, 190, 170) if u.side == "japan" else (170, 200, 240)
        extra = "" if u.supplied else "  (out of supply)"
        lines.append((f"{app.namer.unit_short(u.id)}: {u.men:,} men{extra}", col, False))
        if u.id in marks:
            lines.append((f"    {MARK_TEXT[marks[u.id]]}", MARK_RGB[marks[u.id]], True))
    return lines


def draw_tooltip(screen, app) -> pygame.Rect | None:
    """Terrain, place and units of the hex under the pointer, after a short rest (never over a
    dialog); returns where it was drawn."""
    h = app.hover_hex
    if h is None or app.modal_open() or app.input.press_pos is not None:
        return None
    if time.monotonic() - app.hover_since < TOOLTIP_DELAY:
        return None
    lines = tooltip_lines(app, h)
    surfs = [fonts.text(t, 13, c, b) for t, c, b in lines]
    w = max(s.get_width() for s in surfs) + 16
    hgt = sum(s.get_height() for s in surfs) + 10
    mx, my = app.last_mouse
    vx, vy, vw, vh = app.camera.view
    x = min(mx + 18, vx + vw - w - 4)
    y = min(my + 20, vy + vh - hgt - 4)
    bg = pygame.Surface((w, hgt), pygame.SRCALPHA)
    bg.fill((20, 24, 30, 225))
    screen.blit(bg, (x, y))
    pygame.draw.rect(screen, (120, 110, 90), (x, y, w, hgt), 1, border_radius=3)
    yy = y + 5
    for s in surfs:
        screen.blit(s, (x + 8, yy))
        yy += s.get_height()
    return pygame.Rect(x, y, w, hgt)


CARD_SECONDS = 5.0


def combat_card_lines(app, rep: dict) -> list[tuple[str, tuple, bool]]:
    """The combat result card: who attacked where, the odds, the luck of the draw, losses, outcome."""
    from .texts import OUTCOME, losses_total

    namer = app.namer
    side = SIDE_EN.get(rep.get("attacker", ""), "?")
    att = rep.get("attackers", [])
    dfn = rep.get("defenders", [])
    names = ", ".join(namer.unit_short(u) for u in att[:3]) + (f" +{len(att) - 3}" if len(att) > 3 else "")
    noise = rep.get("draws", [1.0, 1.0, 1.0])
    luck = noise[2] if len(noise) > 2 else 1.0
    luck_word = "good" if luck > 1.15 else "bad" if luck < 0.87 else "average"
    la, ld = losses_total(rep.get("attacker_losses", {})), losses_total(rep.get("defender_losses", {}))
    out = OUTCOME.get(rep.get("outcome", ""), rep.get("outcome", "?"))
    return [
        (f"{side} attacks {namer.where(rep.get('target', -1))}", GOLD, True),
        (f"{names} vs {', '.join(namer.unit_short(u) for u in dfn[:3])}", TEXT, False),
        (f"Odds {rep.get('ratio', 0):.2f} : 1 · retreat draw ×{luck:.2f} ({luck_word} for the attacker)", TEXT, False),
        (f"Losses: attacker {la:,} · defender {ld:,}", TEXT, False),
        (out[:1].upper() + out[1:], (255, 200, 120) if rep.get("outcome") in ("routed", "taken") else TEXT, True),
    ]


def draw_combat_card(screen, app) -> pygame.Rect | None:
    """The last combat's result card at the top of the map for a few seconds (never over a dialog)."""
    card = app.session.combat_card
    if card is None or app.modal_open() or time.monotonic() - card[1] > CARD_SECONDS:
        return None
    surfs = [fonts.text(t, 15 if i == 0 else 14, c, b) for i, (t, c, b) in enumerate(combat_card_lines(app, card[0]))]
    w = max(s.get_width() for s in surfs) + 24
    h = sum(s.get_height() + 2 for s in surfs) + 16
    vx, vy, vw, vh = app.camera.view
    r = pygame.Rect(0, 0, w, h)
    r.midtop = (vx + vw // 2, vy + 52)
    bg = pygame.Surface(r.size, pygame.SRCALPHA)
    bg.fill((18, 22, 28, 235))
    screen.blit(bg, r.topleft)
    pygame.draw.rect(screen, (200, 160, 90), r, 2, border_radius=4)
    y = r.y + 8
    for s in surfs:
        screen.blit(s, (r.x + 12, y))
        y += s.get_height() + 2
    return r
