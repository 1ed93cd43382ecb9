#!/usr/bin/env python3
"""Regenerate the game's CJK-capable UI font: a subset of Noto Sans CJK SC.

The full Noto Sans CJK collection is ~20 MB per weight; the game only needs Latin text,
a few typographic symbols and the Chinese characters of its place, unit, commander and
interface strings.  This script

1. collects the characters: ``charset.txt`` (committed; a few hundred common characters
   plus everything collected before) + every non-ASCII character found in
   ``scenarios/**/*.toml``, ``scenarios/**/*.json`` and ``game/**/*.py`` + (when present)
   the Chinese seed text in ``../shared/seeds``;
2. writes the union back to ``charset.txt`` (so the list only grows and stays reviewable);
3. subsets the Simplified-Chinese face of the Debian/Ubuntu ``fonts-noto-cjk`` collection
   (``apt-get install fonts-noto-cjk``) with fontTools into ``XuefengSans-Regular.otf``
   and ``XuefengSans-Bold.otf`` beside this script, renamed so the subset is never
   mistaken for the full font (the OFL asks modified versions to say so).

Usage (from the repository root)::

    .venv/bin/python assets/fonts/make_subset.py [--source-dir /usr/share/fonts/opentype/noto]

The fonts are under the SIL Open Font License 1.1 (``OFL.txt`` beside this script).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Latin, Latin-1, general punctuation, arrows and a few symbols used in the UI.
BASE_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0100, 0x017F),  # ASCII, Latin-1, Latin Extended-A (romanisations)
    (0x2010, 0x2027), (0x2030, 0x203A), (0x2190, 0x2199), (0x2212, 0x2212), (0x2248, 0x2248),
    (0x2264, 0x2265), (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2713, 0x2717), (0x00D7, 0x00D7),
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF01, 0xFF5E),  # full-width forms
]

FACES = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
FAMILY = "Xuefeng Sans"


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def collect_chars() -> set[str]:
    chars: set[str] = set()
    cs = HERE / "charset.txt"
    if cs.exists():
        chars |= {c for c in cs.read_text(encoding="utf-8") if not c.isspace()}
    sources = list((ROOT / "scenarios").rglob("*.toml")) + list((ROOT / "scenarios").rglob("*.json"))
    sources += list((ROOT / "game").rglob("*.py"))
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        sources += list(seeds.glob("*_zh.txt"))
    for p in sources:
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        chars |= {c for c in text if ord(c) > 0x7E and not c.isspace()}
    return chars


def write_charset(chars: set[str]) -> None:
    cjk = sorted(c for c in chars if is_cjk(c))
    other = sorted(c for c in chars if not is_cjk(c))
    lines = ["".join(other)] + ["".join(cjk[i:i + 40]) for i in range(0, len(cjk), 40)]
    (HERE / "charset.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def find_face(source_dir: Path, filename: str):
    from fontTools.ttLib import TTCollection

    path = source_dir / filename
    if not path.exists():
        sys.exit(f"{path} not found: install the fonts with `apt-get install fonts-noto-cjk`")
    coll = TTCollection(str(path))
    for font in coll.fonts:
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return font
    sys.exit(f"{path}: no 'Noto Sans CJK SC' face in the collection")


def rename(font, style: str) -> None:
    name = font["name"]
    full = f"{FAMILY} {style}"
    ps = f"XuefengSans-{style}"
    for rec in list(name.names):
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID in (2, 17):
            rec.string = style
        elif rec.nameID == 4:
            rec.string = full
        elif rec.nameID == 6:
            rec.string = ps
        elif rec.nameID == 3:
            rec.string = f"{ps};subset of Noto Sans CJK SC for Xuefeng"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]


def main(argv=None) -> int:
    from fontTools import subset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source-dir", default="/usr/share/fonts/opentype/noto")
    args = ap.parse_args(argv)
    chars = collect_chars()
    write_charset(chars)
    unicodes = {ord(c) for c in chars}
    for a, b in BASE_RANGES:
        unicodes |= set(range(a, b + 1))
    total = 0
    for style, filename in FACES.items():
        font = find_face(Path(args.source_dir), filename)
        opts = subset.Options()
        opts.layout_features = ["kern", "liga", "palt", "vert", "locl"]
        opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 14, 16, 17]
        opts.name_languages = [0x409]
        opts.notdef_outline = True
        opts.hinting = False
        opts.desubroutinize = False
        sub = subset.Subsetter(options=opts)
        sub.populate(unicodes=sorted(unicodes))
        sub.subset(font)
        rename(font, style)
        out = HERE / f"XuefengSans-{style}.otf"
        font.save(str(out))
        size = out.stat().st_size
        total += size
        print(f"{out.relative_to(ROOT)}: {len(font.getBestCmap())} characters, {size / 1024:.0f} KiB")
    print(f"{sum(1 for c in chars if is_cjk(c))} CJK characters; total {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
