"""pygame_gui text that wraps Chinese between characters, by the usual line-breaking rule.

pygame_gui's UITextBox breaks lines only at spaces and, by default, splits a longer run with a
dash at each side ("右键单-" / "-击亮格"). Chinese has no spaces, so every wrapped Chinese line
got a spurious dash. With ``allow_split_dashes`` off it splits such a run where the line is full,
with no dash; English still wraps at its spaces. Every text box of the game and the editor is
made here (or passed through :func:`undashed` when pygame_gui makes it: dialogs, tooltips).

Where the line is full is not always a place to break: a closing bracket or punctuation
（）」，。：！ and the like) may not start a line, nor an opening one end it.  The Unicode line
breaking algorithm (UAX #14, by the ``uniseg`` library) says where a break is allowed;
:func:`_split_by_the_rule` moves pygame_gui's dashless split back to the last such place
(:func:`wrap_px` wraps the text the game draws itself by the same rule).
"""
from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.core.text.text_line_chunk import TextLineChunkFTFont
from pygame_gui.elements import UITextBox
from uniseg.linebreak import line_break_boundaries, line_break_units


def breaks(text: str) -> list[int]:
    """Indices of ``text`` where a line may break (UAX #14), the ends excluded."""
    return [b for b in line_break_boundaries(text) if 0 < b < len(text)]


def wrap_px(text: str, width: int, measure) -> list[str]:
    """``text`` in lines at most ``width`` wide (``measure(s)`` -> width), broken only where the
    line-breaking rule allows: English between words, Chinese between characters but never
    before a closing mark or after an opening one.  A piece wider than a line stands alone."""
    lines, cur = [], ""
    for unit in line_break_units(text):
        if cur.strip() and measure((cur + unit).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = unit
        elif cur or not unit.isspace():
            cur += unit
    return lines + [cur.rstrip()] if cur.strip() else lines or [""]


def unbroken_groups(text: str, sep: str = "    ") -> str:
    """``text`` whose groups (separated by ``sep``: a key and what it does) wrap only between
    each other: the spaces inside a group become no-break spaces."""
    return sep.join(g.replace(" ", "\u00a0") for g in text.split(sep))


_library_split = TextLineChunkFTFont.split


def _split_by_the_rule(self, requested_x, line_width, row_start_x, allow_split_dashes=True):
    """pygame_gui's split of a run with no space that fits, moved back to the last place the
    line-breaking rule allows (dashless splits only: the dashed ones are pygame_gui's own)."""
    if not allow_split_dashes and self.x == row_start_x and self.right > line_width and self.width:
        if self._find_optimum_split_point(requested_x / self.width, requested_x) == 0:  # no space fits
            at = max(1, self.x_pos_to_letter_index(requested_x) - 1)  # where pygame_gui would split
            allowed = [b for b in breaks(self.text) if b <= at]
            if allowed and allowed[-1] != at:
                r = self.font.get_rect(self.text[:allowed[-1] + 1])
                requested_x = self.x + r.x + r.width  # pygame_gui splits one letter before this x
    return _library_split(self, requested_x, line_width, row_start_x, allow_split_dashes)


TextLineChunkFTFont.split = _split_by_the_rule


def text_box(html_text: str, relative_rect, manager, **kwargs) -> UITextBox:
    """A UITextBox that never splits a run with dashes."""
    return UITextBox(html_text, relative_rect, manager, allow_split_dashes=False, **kwargs)


def undashed(box: UITextBox) -> UITextBox:
    """``box`` (one pygame_gui made inside a window or a tooltip) laid out again without dashes."""
    if box.allow_split_dashes:
        box.allow_split_dashes = False
        box.set_text(box.html_text, text_kwargs=box.text_kwargs)
    return box


class UIManager(pygame_gui.UIManager):
    """A UIManager whose tooltips wrap without dashes too."""

    def create_tool_tip(self, text, position, hover_distance, parent_element, object_id, *,
                        wrap_width=None, text_kwargs=None):
        tip = super().create_tool_tip(text, position, hover_distance, parent_element, object_id,
                                      wrap_width=wrap_width, text_kwargs=text_kwargs)
        if tip.text_block is not None and tip.text_block.allow_split_dashes:
            undashed(tip.text_block)
            tip.rebuild()  # the tooltip takes the re-laid-out text's size
            tip.find_valid_position(pygame.math.Vector2(position[0], position[1]))
        return tip
