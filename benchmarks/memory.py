"""Memory at scale: peak RSS of ``geo places --format json`` on 100 and on 10,000 articles.

The CLI streams documents (each is written as soon as it is geoparsed), so the 10,000-article
run must peak within 2x of the 100-article run (issue 5). Articles are short news texts built
from seed sentences with place names swapped in, written to a temporary folder; each run is a
fresh process whose own peak RSS is read with ``os.wait4`` (RUSAGE_CHILDREN would mix in every
child the benchmark process ever waited for). ``GEO_BENCH_ARTICLES`` shrinks the large set
(default 10,000; about 50 ms an article).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMALL = 100
LARGE = int(os.environ.get("GEO_BENCH_ARTICLES", "10000"))
TARGET_RATIO = 2.0
SEED = 5

PLACES = [
    "Tripoli", "Misrata", "Sirte", "Benghazi", "Tobruk", "Derna", "Sabha", "Zawiya", "Gharyan",
    "Tarhuna", "Ajdabiya", "Kufra", "Ghadames", "Ubari", "Murzuq", "Zuwara", "Sabratha",
    "Damascus", "Aleppo", "Idlib", "Raqqa", "Deir ez-Zor", "Homs", "Hama", "Afrin", "Manbij",
    "Kobani", "Qamishli", "Daraa", "Latakia", "Palmyra", "Agadez", "Niamey", "Khartoum",
    "Cairo", "Tunis", "Algiers", "Lampedusa", "Malta", "Sicily", "Ankara", "Istanbul", "Moscow",
    "Abu Dhabi", "Rome", "Athens", "Lesbos", "Beirut", "Amman", "Baghdad",
]  # fmt: skip
SENTENCES = [
    "Fighting resumed on the outskirts of {a} on {day}, residents said.",
    "Forces loyal to the government pushed east from {a} towards {b}.",
    "Aid agencies said thousands had fled {a} for camps near {b}.",
    "A convoy carrying fuel was attacked on the road between {a} and {b}.",
    "Officials in {a} denied reports that the airport had been shelled.",
    "Migrants who set out from {a} were intercepted off the coast near {b}.",
    "The talks in {a} ended without agreement, diplomats said.",
    "Drone strikes hit positions south of {a} overnight.",
    "Traders in {a} said prices had doubled since the siege of {b} began.",
    "A spokesman in {a} said the ceasefire would hold until talks in {b}.",
    "Smugglers moved people north through {a} before the crossing to {b}.",
    "Local elders from {a} met commanders from {b} to negotiate a truce.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def write_articles(folder: Path, count: int, seed: int = SEED) -> list[str]:
    """``count`` short articles in ``folder``; their file names, in order."""
    rng = random.Random(seed)
    names = []
    for i in range(count):
        a, b = rng.sample(PLACES, 2)
        body = " ".join(
            s.format(a=rng.choice(PLACES), b=rng.choice(PLACES), day=rng.choice(DAYS))
            for s in rng.sample(SENTENCES, rng.randint(4, 8))
        )
        day = f"2019-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        name = f"a{i:05d}.md"
        (folder / name).write_text(
            f'---\ntitle: "Clashes near {a} as talks in {b} stall"\ndate: {day}\n'
            f"slug: article-{i:05d}\n---\n{body}\n",
            encoding="utf-8",
        )
        names.append(name)
    return names


def peak_rss(folder: Path, names: list[str]) -> tuple[float, float, int, int]:
    """Run ``geo places --format json`` on ``names``: (peak RSS MB, seconds, documents, places)."""
    script = Path(sys.executable).with_name("geo")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "geo"]
    out_path = folder / "out.json"
    t0 = time.perf_counter()
    with open(out_path, "wb") as out, open(folder / "err.txt", "wb") as err:
        proc = subprocess.Popen(
            [*command, "places", "--format", "json", *names], cwd=folder, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    if proc.returncode != 0:
        raise RuntimeError(
            f"geo places exited {proc.returncode}: {(folder / 'err.txt').read_text()}"
        )
    with open(out_path, encoding="utf-8") as f:
        documents = json.load(f)["documents"]
    places = sum(len(d["places"]) for d in documents)
    out_path.unlink()
    # ru_maxrss is in kilobytes on Linux
    return usage.ru_maxrss / 1024, seconds, len(documents), places


def run() -> None:
    runs = []
    for count in (SMALL, LARGE):
        with tempfile.TemporaryDirectory(prefix="geo-memory-bench-") as tmp:
            folder = Path(tmp)
            names = write_articles(folder, count)
            mb, seconds, docs, places = peak_rss(folder, names)
            assert docs == count, (docs, count)
            runs.append(mb)
            print(
                f"{count:>6} articles: peak RSS {mb:7.1f} MB, {seconds:6.1f} s "
                f"({1000 * seconds / count:.0f} ms an article), {places} places",
                flush=True,
            )
    ratio = runs[1] / runs[0]
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(
        f"peak RSS {LARGE} / {SMALL} articles: {ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.1f}x): {verdict}"
    )


if __name__ == "__main__":
    run()
