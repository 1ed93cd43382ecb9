"""``xuefeng schema``: a JSON Schema of scenario.toml generated from the pydantic models.

TOML editors (Taplo / Even Better TOML, JetBrains) use it for completion and checks; point
them at the file with a ``#:schema ./scenario.schema.json`` comment or their settings.  The
schema covers the types and ranges of every table; cross-references (ids, place keys,
sums) are checked by ``xuefeng edit`` and at load.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .schema import Scenario


def scenario_schema() -> dict:
    s = Scenario.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = "Xuefeng scenario.toml"
    return s


def cli_schema(args) -> int:
    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
    out = getattr(args, "out", None)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"xuefeng schema: cannot write {out} ({exc.strerror or exc})", file=sys.stderr)
            return 2
        print(f"wrote {out}")
    else:
        sys.stdout.write(text)
    return 0
