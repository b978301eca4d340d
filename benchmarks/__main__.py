"""Run every benchmark module (``python -m benchmarks [NAME ...] [--articles N]``)."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument(
        "--articles",
        type=int,
        help="synthetic articles for the corpus-scale runs (sets GEO_BENCH_ARTICLES)",
    )
    args = parser.parse_args(argv)
    if args.articles is not None:
        if args.articles < 1:
            parser.error("--articles must be at least 1")
        os.environ["GEO_BENCH_ARTICLES"] = str(args.articles)
    names = args.names or sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "run"):
            print(f"== {name}", flush=True)
            module.run()
    return 0


raise SystemExit(main())
