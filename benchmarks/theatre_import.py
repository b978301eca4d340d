"""Peak memory of ``geo theatre import`` on a large generated ACLED-layout export.

The export is generated here (ACLED's column layout, made-up rows: a few hundred towns, four
actors, territory transfers, clashes and strikes over two years), written to a temporary file,
and imported in a child process whose peak RSS is read from the kernel. The issue's budget is
1 GB for a million rows. ``GEO_BENCH_IMPORT_ROWS`` changes the size.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,"
    "region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")
ACTORS = (
    ("Military Forces of Sudan (2019-)", "1"),
    ("Rapid Support Forces", "2"),
    ("SLM/A-Minni Minawi", "2"),
    ("Civilians (Sudan)", "7"),
)
TYPES = (
    ("Battles", "Armed clash", 50),
    ("Explosions/Remote violence", "Air/drone strike", 25),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 15),
    ("Battles", "Non-state actor overtakes territory", 5),
    ("Battles", "Government regains territory", 5),
)
BUDGET_MB = 1024


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A deterministic ACLED-layout export of ``rows`` events in Sudan's bounding box."""
    rng = random.Random(seed)
    towns = [(f"Town {i:04d}", 9 + rng.random() * 12, 22 + rng.random() * 14) for i in range(400)]
    weights = [w for _, _, w in TYPES]
    start = dt.date(2023, 4, 15)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(rows):
            event_type, sub, _ = rng.choices(TYPES, weights)[0]
            (a1, i1), (a2, i2) = (
                rng.sample(ACTORS[:3], 2)
                if sub != "Government regains territory"
                else (ACTORS[0], ACTORS[1])
            )
            name, lat, lon = towns[rng.randrange(len(towns))]
            day = start + dt.timedelta(days=rng.randrange(730))
            w.writerow([
                f"SDN{i + 1}", day.isoformat(), day.year, 1, "Political violence", event_type, sub,
                a1, "", i1, a2, "", i2, f"{i1}{i2}", "", 729, "Northern Africa", "Sudan",
                "Khartoum", "", "", name, f"{lat:.4f}", f"{lon:.4f}", rng.choice("123"),
                "Generated source", "National", "Generated row for the import benchmark.",
                rng.randrange(20), "", 1717000000,
            ])  # fmt: skip


def run(rows: int | None = None) -> dict:
    """Generate, import in a child process, and report rows/s and peak RSS against the budget."""
    rows = rows or int(os.environ.get("GEO_BENCH_IMPORT_ROWS", "1000000"))
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "acled.csv"
        t0 = time.perf_counter()
        write_export(export, rows)
        generated = time.perf_counter() - t0
        size_mb = export.stat().st_size / 1e6
        cmd = [sys.executable, "-m", "geo", "theatre", "import", str(export), "--from", "acled",
               "--name", "Generated", "-o", str(Path(tmp) / "theatre")]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            raise SystemExit(f"theatre import failed: {done.stderr.strip()[-500:]}")
    result = {
        "rows": rows,
        "export_mb": round(size_mb, 1),
        "generate_s": round(generated, 1),
        "import_s": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(max(peak_mb, before / 1024), 1),
        "budget_mb": BUDGET_MB,
    }
    print(
        f"theatre import: {rows:,} ACLED rows ({result['export_mb']} MB) in {result['import_s']} s "
        f"({result['rows_per_s']:,} rows/s), peak RSS {result['peak_rss_mb']} MB "
        f"(budget {BUDGET_MB} MB: {'ok' if result['peak_rss_mb'] < BUDGET_MB else 'OVER'})"
    )
    return result


if __name__ == "__main__":
    run()
