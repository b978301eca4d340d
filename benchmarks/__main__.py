"""Run every benchmark module (``python -m benchmarks [NAME ...]``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "run"):
            print(f"== {name}", flush=True)
            module.run()
    return 0


raise SystemExit(main(sys.argv[1:]))
