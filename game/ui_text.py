"""pygame_gui text that wraps Chinese between characters.

pygame_gui's UITextBox breaks lines only at spaces and, by default, splits a longer run with a
dash at each side ("右键单-" / "-击亮格"). Chinese has no spaces, so every wrapped Chinese line
got a spurious dash. With ``allow_split_dashes`` off it splits such a run where the line is full,
with no dash; English still wraps at its spaces. Every text box of the game and the editor is
made here (or passed through :func:`undashed` when pygame_gui makes it: dialogs, tooltips).
"""
from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UITextBox


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
