"""The two sides of the campaign, in the order they move each turn."""
from __future__ import annotations

SIDES: tuple[str, str] = ("japan", "china")


def other(side: str) -> str:
    """The opposing side."""
    return "china" if side == "japan" else "japan"
