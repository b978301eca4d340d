"""Memory at scale: peak RSS on many articles, and on adversarial shapes against a budget.

First, ``geo places --format json`` on 100 and on 10,000 articles.

The CLI streams documents (each is written as soon as it is geoparsed), so the 10,000-article
run must peak within 2x of the 100-article run (issue 5). Articles are short news texts built
from seed sentences with place names swapped in, written to a temporary folder; each run is a
fresh process whose own peak RSS is read with ``os.wait4`` (RUSAGE_CHILDREN would mix in every
child the benchmark process ever waited for). ``GEO_BENCH_ARTICLES`` shrinks the large set
(default 10,000; about 50 ms an article).

Then the adversarial shapes (issue 17): text with no sentence break and one place mention per
word (a few names said again and again, or thousands of different towns), 1 MB lines in a JSON
Lines corpus, and one large file. Each is generated in a temporary folder, never stored, and
run through ``geo places``, ``geo build`` and ``geo corpus``; each peak RSS is printed beside
the budget, 300 MB + 10x the input's size. ``GEO_BENCH_HOSTILE_MB`` sets the size of the large
file (default 1; ``GEO_BENCH_HOSTILE_MB=50`` measures the 50 MB file of the issue: ``geo
places`` alone takes about 13 minutes on it, and ``geo build`` and ``geo corpus`` hold every
mention of it), ``GEO_BENCH_HOSTILE_SHAPES`` picks shapes by file name (comma-separated, e.g.
``big.md``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
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


BUDGET_BASE_MB = 300
BUDGET_FACTOR = 10
HOSTILE_MB = float(os.environ.get("GEO_BENCH_HOSTILE_MB", "1"))
HOSTILE_SHAPES = [s for s in os.environ.get("GEO_BENCH_HOSTILE_SHAPES", "").split(",") if s]


def _geo() -> list[str]:
    script = Path(sys.executable).with_name("geo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "geo"]


def adversarial_text(size: int, separator: str = ", ", seed: int = SEED) -> str:
    """``size`` characters of place names and nothing else: no sentence break, every word a
    mention (the shape that once made each mention copy its whole, huge sentence)."""
    rng = random.Random(seed)
    words: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(PLACES)
        words.append(word)
        total += len(word) + len(separator)
    return separator.join(words)[:size].rsplit(" ", 1)[0]


def town_names(seed: int = SEED) -> list[str]:
    """Every town of over 15,000 people the gazetteer knows by a one-word name, shuffled."""
    import sqlite3

    from geo.gazetteer.index import open_index

    con = sqlite3.connect(f"file:{open_index().path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name FROM places WHERE kind = 'city' AND population >= 15000")
        names = sorted({name for (name,) in rows if name.isalpha()})
    finally:
        con.close()
    random.Random(seed).shuffle(names)
    return names


def distinct_text(size: int) -> str:
    """``size`` characters of different towns from all over the world, comma-separated: every
    mention a new place (the shape where comparing places pairwise is quadratic)."""
    names = town_names()
    text = ", ".join(names)
    while len(text) < size:
        text += ", " + text
    return text[:size].rsplit(",", 1)[0]


def write_shapes(folder: Path, big_mb: float) -> list[tuple[str, str, list[str]]]:
    """The adversarial inputs: (label, command, argv tail) with files written in ``folder``."""
    head = "---\ntitle: Names\ndate: 2019-06-01\n---\n"
    shapes = []
    (folder / "commas.md").write_text(head + adversarial_text(200_000), encoding="utf-8")
    (folder / "words.md").write_text(head + adversarial_text(200_000, " and "), encoding="utf-8")
    (folder / "towns.md").write_text(head + distinct_text(200_000), encoding="utf-8")
    with open(folder / "lines.jsonl", "w", encoding="utf-8") as f:
        for i in range(4):
            text = adversarial_text(1_000_000, ", ", seed=SEED + i)
            f.write(json.dumps({"id": f"l{i}", "date": "2019-06-01", "text": text}) + "\n")
    big = folder / "big.md"
    big.write_text(head + adversarial_text(int(big_mb * 1_000_000)), encoding="utf-8")
    for name in ("commas.md", "words.md", "towns.md", "big.md"):
        shapes.append((f"{name}", "places", ["places", "--format", "json", name]))
        shapes.append((f"{name}", "build", ["build", "--quiet", "--out", "maps", name]))
    for name in ("commas.md", "towns.md", "lines.jsonl", "big.md"):
        shapes.append(
            (
                f"{name}",
                "corpus",
                ["corpus", "--quiet", "--workers", "1", "--out", "c.parquet", name],
            )
        )
    return shapes


def measure(folder: Path, argv: list[str]) -> tuple[float, float, int]:
    """Run ``geo argv`` in ``folder``: (peak RSS MB, seconds, exit code); stdout discarded."""
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as out, open(folder / "err.txt", "wb") as err:
        proc = subprocess.Popen([*_geo(), *argv], cwd=folder, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, time.perf_counter() - t0, proc.returncode


def run_adversarial(big_mb: float = HOSTILE_MB) -> bool:
    """Print each adversarial shape's peak RSS beside its budget; whether all are within."""
    ok = True
    # The gazetteer index and the shape caches are built by `geo setup`, not by the runs here:
    # an index build inside a measured run would be counted against the article.
    subprocess.run([*_geo(), "setup"], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="geo-memory-hostile-") as tmp:
        folder = Path(tmp)
        shapes = write_shapes(folder, big_mb)
        for label, command, argv in shapes:
            if HOSTILE_SHAPES and label not in HOSTILE_SHAPES:
                continue
            # Again before each run: a process of another version of the gazetteer code may
            # have rebuilt the shared index meanwhile (a run would rebuild it and count that).
            subprocess.run(
                [*_geo(), "setup"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            size_mb = (folder / argv[-1]).stat().st_size / 1e6
            budget = BUDGET_BASE_MB + BUDGET_FACTOR * size_mb
            mb, seconds, code = measure(folder, argv)
            within = code == 0 and mb <= budget
            ok &= within
            verdict = "ok" if within else ("FAILED" if code else "OVER BUDGET")
            print(
                f"geo {command:<7} {label:<12} {size_mb:6.1f} MB input: peak RSS {mb:7.1f} MB "
                f"(budget {budget:6.0f} MB), {seconds:6.1f} s: {verdict}",
                flush=True,
            )
            for leftover in ("maps", "c.parquet", "c.parquet.parts"):
                path = folder / leftover
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.exists():
                    path.unlink()
    return ok


def run() -> None:
    run_adversarial()
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
    if sys.argv[1:] == ["--adversarial"]:
        sys.exit(0 if run_adversarial() else 1)
    run()
