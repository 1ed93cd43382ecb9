"""Heads-up drawing outside pygame_gui: the top bar's status line, the right column's
backdrop, the banner while the computer plays, and the message toasts."""
from __future__ import annotations

import time

import pygame

from . import fonts
from .panels import TOP
from .counters import MARKS
from .i18n import has, t, t_both
from .texts import date_range, mark_text, outcome_label, phase_name, side_name, word

BAR = (24, 28, 34)
MARK_RGB = {"routed": (255, 120, 110), "retreated": (250, 185, 80)}
GOLD = (232, 184, 88)
TEXT = (232, 228, 216)
GREY = (160, 156, 146)


def _chip(screen, x, y, label, bg, fg=(20, 20, 20), size=15, bold=True, pad=8) -> int:
    surf = fonts.text(label, size, fg, bold)
    r = pygame.Rect(x, y, surf.get_width() + 2 * pad, TOP - 16)
    pygame.draw.rect(screen, bg, r, border_radius=5)
    screen.blit(surf, (x + pad, y + (r.h - surf.get_height()) // 2))
    return r.right + 8


def _txt(screen, x, y, s, col=TEXT, size=15, bold=False) -> int:
    surf = fonts.text(s, size, col, bold)
    screen.blit(surf, (x, y + (TOP - 16 - surf.get_height()) // 2))
    return x + surf.get_width() + 12


def _topbar_items(app, stage: int) -> list[tuple]:
    """The status line as (kind, text, colour, size, bold) items; higher stages are more compact
    (fewer labels, English only, no date, no title) for narrow windows."""
    st = app.session.state
    game = app.game
    setting = app.settings["lang"]
    if stage >= 2 and setting == "both":
        setting = "en"  # compact: one language
    side_rgb = app.board.counters.side_rgb.get(st.side, (200, 200, 200))
    lum = 0.299 * side_rgb[0] + 0.587 * side_rgb[1] + 0.114 * side_rgb[2]
    fg = (20, 20, 20) if lum > 140 else (250, 250, 245)
    side = t_both(f"side.{st.side}", setting)
    phase = t_both(f"phase.{st.phase}", setting)
    who = t("topbar.you") if st.side in app.session.human else t("topbar.computer")
    wlabel = t_both(f"weather.{st.weather}", setting) if has(f"weather.{st.weather}") else word("weather", st.weather)
    wcol = {"clear": (250, 220, 120), "rain": (140, 180, 255)}.get(st.weather, (200, 205, 215))
    items = []
    if stage < 3:
        items.append(("txt", "雪峰 XUEFENG" if stage == 0 else "雪峰", GOLD, 16, True))
    items.append(("txt", t("topbar.turn" if stage < 2 else "topbar.turn_short", turn=st.turn, n=game.n_turns), TEXT, 15, True))
    if stage < 2:
        items.append(("txt", date_range(game, st.turn), TEXT, 15, False))
    if st.over:
        from engine.api import victory_level

        level = victory_level(st).level  # the graded result, not only who won the airfield
        over = t("topbar.over", result=t(f"level.{level}")) if stage < 3 else t("topbar.over_short")
        items.append(("chip", over, (200, 60, 50), (255, 255, 255)))
    items.append(("chip", f"{side} · {phase}", side_rgb, fg))
    if stage == 0:
        items.append(("txt", who, GREY, 13, False))
        items.append(("label", t("topbar.weather"), GREY, 13, False))
    items.append(("txt", wlabel, wcol, 15, True))
    if stage < 3:
        items.append(("label", t("topbar.sorties") if stage == 0 else t("topbar.sorties_short"), GREY, 13, False))
    items.append(("sorties", sorties_status(st, with_up=stage < 3), TEXT, 15, False))
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
            x0 = x
            x = _txt(screen, x, y, item[1], item[2], item[3], item[4])
            if item[0] == "sorties":
                app.sorties_rect = pygame.Rect(x0, 0, x - x0 - 12, TOP)
    app.topbar_extent = x
    if x > limit:  # narrower than the most compact line: cut it at the buttons
        pygame.draw.rect(screen, BAR, (limit, 0, W - limit, TOP - 1))


def sorties_status(st, with_up: bool = True) -> str:
    """'J 0 (15 up) · C 72': sorties each side has left and, when it has missions up, how many fly
    (explained by the tooltip ``topbar.sorties_tip``)."""
    parts = []
    for side in ("japan", "china"):
        up = sum(int(m.get("sorties", 0)) for m in st.missions if m.get("side") == side)
        parts.append(t("topbar.sorties_side", letter=t(f"topbar.letter.{side}"), left=st.sorties_left.get(side, 0))
                     + (" " + t("topbar.sorties_up", up=up) if up and with_up else ""))
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
    verb = t("banner.thinking") if app.ai.status == "thinking" else t("banner.playing")
    label = t("banner.ai", side=side_name(st.side), verb=verb, phase=phase_name(st.phase), dots=dots)
    surf = fonts.text(label, 16, (255, 255, 255), True)
    r = pygame.Rect(0, 0, surf.get_width() + 28, surf.get_height() + 12)
    r.midtop = (vx + w // 2, vy + 10)
    s = pygame.Surface(r.size, pygame.SRCALPHA)
    col = app.board.counters.side_rgb.get(st.side, (80, 80, 80))
    s.fill((*[int(c * 0.6) for c in col], 220))
    screen.blit(s, r.topleft)
    pygame.draw.rect(screen, (255, 255, 255), r, 1, border_radius=3)
    screen.blit(surf, (r.x + 14, r.y + 6))


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
        surf = fonts.text(text, 15, fg, m.level == "error")
        r = pygame.Rect(0, 0, min(w - 40, surf.get_width() + 24), surf.get_height() + 10)
        r.midbottom = (vx + w // 2, y)
        s = pygame.Surface(r.size, pygame.SRCALPHA)
        s.fill((*col, 230))
        screen.blit(s, r.topleft)
        pygame.draw.rect(screen, (255, 120, 100) if m.level == "error" else (120, 120, 120), r, 1, border_radius=3)
        screen.blit(surf, (r.x + 12, r.y + 5), area=pygame.Rect(0, 0, r.w - 24, r.h))
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
        extra = "" if u.supplied else t("tooltip.out_of_supply")
        lines.append((t("tooltip.unit", name=app.namer.unit_short(u.id), men=u.men, extra=extra), col, False))
        if u.id in marks:
            lines.append((f"    {mark_text(marks[u.id])}", MARK_RGB[marks[u.id]], True))
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
    w, hgt = plate_size(surfs)
    x, y = tooltip_position(app, h, w, hgt)
    return draw_plate(screen, surfs, x, y, 225)


def plate_size(surfs) -> tuple[int, int]:
    """Width and height of a tooltip plate holding these text lines."""
    return max(s.get_width() for s in surfs) + 16, sum(s.get_height() for s in surfs) + 10


def draw_plate(screen, surfs, x: int, y: int, alpha: int) -> pygame.Rect:
    """A dark framed plate at (x, y) with the text lines on it; returns its rectangle."""
    w, hgt = plate_size(surfs)
    bg = pygame.Surface((w, hgt), pygame.SRCALPHA)
    bg.fill((20, 24, 30, alpha))
    screen.blit(bg, (x, y))
    pygame.draw.rect(screen, (120, 110, 90), (x, y, w, hgt), 1, border_radius=3)
    yy = y + 5
    for s in surfs:
        screen.blit(s, (x + 8, yy))
        yy += s.get_height()
    return pygame.Rect(x, y, w, hgt)


def tooltip_position(app, h: int, w: int, hgt: int) -> tuple[int, int]:
    """Top left of a ``w`` x ``hgt`` tooltip about hex ``h``: below right of the pointer when that
    leaves the hex, its counters and the combat target in sight, else beside, below or above them
    (inside the map view)."""
    board, cam, s = app.board, app.camera, app.session
    vx, vy, vw, vh = cam.view
    view = pygame.Rect(vx, vy, vw, vh)
    keep = [board.hex_box(cam, x) for x in {h, s.target} if x is not None and x >= 0]
    rects = board.counter_rects(cam, s.state, s.selected)
    keep += [rects[u.id] for u in s.state.units if u.id in rects and u.hex in (h, s.target)]
    mx, my = app.last_mouse
    seen = keep[0].unionall(keep[1:])
    tries = [(mx + 18, my + 20), (seen.right + 8, my - hgt // 2), (seen.left - w - 8, my - hgt // 2),
             (mx - w // 2, seen.bottom + 8), (mx - w // 2, seen.top - hgt - 8)]
    for x, y in tries:
        r = pygame.Rect(x, y, w, hgt).clamp(view)
        if r.collidelist(keep) < 0:
            return r.topleft
    return pygame.Rect(mx + 18, my + 20, w, hgt).clamp(view).topleft


SORTIES_TIP_PX = 440  # the sortie readout's tip: lines of about 64 letters or 34 characters


def draw_sorties_tip(screen, app) -> pygame.Rect | None:
    """What the top bar's sortie readout means, while the pointer rests on it (never over a dialog)."""
    r = getattr(app, "sorties_rect", None)
    if r is None or app.modal_open() or not r.collidepoint(app.last_mouse):
        return None
    from .screens import wrap_px

    lines = wrap_px(t("topbar.sorties_tip"), 13, SORTIES_TIP_PX)
    surfs = [fonts.text(ln, 13, TEXT) for ln in lines]
    w, _ = plate_size(surfs)
    return draw_plate(screen, surfs, max(4, min(r.x, screen.get_width() - w - 4)), TOP + 4, 235)


CARD_SECONDS = 5.0


def combat_card_lines(app, rep: dict) -> list[tuple[str, tuple, bool]]:
    """The combat result card: who attacked where, the odds, the luck of the draw, losses, outcome."""
    from .texts import losses_total

    namer = app.namer
    att = rep.get("attackers", [])
    dfn = rep.get("defenders", [])
    names = t("list.sep").join(namer.unit_short(u) for u in att[:3]) + (f" +{len(att) - 3}" if len(att) > 3 else "")
    noise = rep.get("draws", [1.0, 1.0, 1.0])
    luck = noise[2] if len(noise) > 2 else 1.0
    luck_word = t("card.luck.good") if luck > 1.15 else t("card.luck.bad") if luck < 0.87 else t("card.luck.average")
    la, ld = losses_total(rep.get("attacker_losses", {})), losses_total(rep.get("defender_losses", {}))
    out = outcome_label(rep.get("outcome", "?"))
    return [
        (t("card.attacks", side=side_name(rep.get("attacker", "?")), where=namer.where(rep.get("target", -1))), GOLD, True),
        (t("card.versus", attackers=names, defenders=t("list.sep").join(namer.unit_short(u) for u in dfn[:3])), TEXT, False),
        (t("card.odds", ratio=rep.get("ratio", 0), luck=luck, luck_word=luck_word), TEXT, False),
        (t("card.losses", att=la, dfn=ld), TEXT, False),
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
