"""The interface's words in English and Chinese: ``t(key, **fields)`` looks a string up in the
one catalogue (:data:`game.catalogue.CATALOGUE`) in the current interface language.

The language follows the window's names setting (``en``, ``zh`` or ``both``): ``zh`` gives a
Chinese interface; ``en`` and ``both`` an English one (``both`` shows names in both scripts,
and :func:`t_both` gives the few short labels, like the phase, in both too).
Fields use ``str.format`` syntax, so ``t("topbar.turn", turn=3, n=32)``.
"""
from __future__ import annotations

from .catalogue import CATALOGUE

LANGS = ("en", "zh")
#: pygame_gui's own Chinese (its zh locale) for the dialogs the game opens: its characters must
#: be in the UI font too (assets/fonts/make_subset.py reads this file; tests/test_i18n.py checks)
PYGAME_GUI_ZH = ("确定", "取消", "确认", "关闭", "文件选择", "主目录", "上级目录", "刷新目录", "删除")
_current = "en"


def ui_lang(setting: str) -> str:
    """The interface language for a names setting: ``zh`` only for ``zh``."""
    return "zh" if setting == "zh" else "en"


def set_lang(setting: str) -> None:
    """Switch the interface to the language of the names setting ``setting``."""
    global _current
    _current = ui_lang(setting)


def lang() -> str:
    return _current


#: the separator between the parts of a line ('A · B'), its second space a no-break space: a
#: wrapped line then starts with '· B' and never ends with a dangling '·'
SEP = " \u00b7\u00a0"


def t_in(language: str, key: str, **fields) -> str:
    """``key`` in ``language`` (``en`` or ``zh``), its fields filled in."""
    en, zh = CATALOGUE[key]
    return (zh if language == "zh" else en).replace(" \u00b7 ", SEP).format(**fields)


def t(key: str, **fields) -> str:
    """``key`` in the current interface language."""
    return t_in(_current, key, **fields)


def t_both(key: str, setting: str, **fields) -> str:
    """``key`` for a names setting: English, Chinese, or 'English 中文' for ``both``."""
    if setting == "both":
        return f"{t_in('en', key, **fields)} {t_in('zh', key, **fields)}"
    return t_in(ui_lang(setting), key, **fields)


def has(key: str) -> bool:
    return key in CATALOGUE


def t_or(key: str, default: str, **fields) -> str:
    """``key`` when the catalogue has it, else ``default``: for words that come from scenario data
    (a terrain or a place kind a scenario may add without a translation)."""
    return t(key, **fields) if key in CATALOGUE else default
