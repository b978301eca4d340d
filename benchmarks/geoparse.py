"""Geoparsing speed and accuracy, side by side with the plain baseline.

- Start-to-answer: a fresh ``geo places --format json`` process on the seed (median of 5),
  against a fresh process running the plain baseline on the same file.
- Throughput: characters per second over the GeoWebNews texts in one process, and the F1 /
  accuracy@161 km of both, so speed is never bought with accuracy unseen.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"
# The shared corpus sits beside the checkout; GEO_GWN names another copy (a worktree elsewhere).
GWN = Path(os.environ.get("GEO_GWN") or ROOT.parent / "shared" / "eval" / "GWN.xml")

_BASELINE_CMD = (
    "import sys;from geo.gazetteer.index import open_index;from benchmarks.baseline import "
    "places_plain;import json;print(json.dumps(places_plain(open_index(), "
    "open(sys.argv[1],encoding='utf-8').read())))"
)


def _median_seconds(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> None:
    from benchmarks.baseline import places_plain, places_spacy, spacy_pipeline
    from geo.evaluate import Report, read_gwn, score_article
    from geo.gazetteer.index import open_index
    from geo.places import places_from_text

    ours = _median_seconds([sys.executable, "-m", "geo", "places", "--format", "json", str(SEED)])
    plain = _median_seconds([sys.executable, "-c", _BASELINE_CMD, str(SEED)])
    print(
        f"start-to-answer on the seed: geo {ours:.2f} s, plain baseline {plain:.2f} s "
        f"(ratio {ours / plain:.2f})"
    )
    if not GWN.exists():
        print(f"throughput: skipped ({GWN} not found)")
        return
    articles = read_gwn(GWN)
    index = open_index()
    places_from_text("warm up in Tripoli")
    chars = sum(len(a.text) for a in articles)
    results = {}
    runners = [
        ("geo", lambda t: places_from_text(t).places),
        ("plain", lambda t: places_plain(index, t)),
    ]
    nlp = spacy_pipeline()
    if nlp is None:
        print("spaCy baseline: skipped (run `make bench`, which installs it)")
    else:
        runners.append(("spacy-sm", lambda t: places_spacy(nlp, index, t)))
    # The systems take turns article by article, so a burst of load from other jobs on a
    # shared machine falls on all of them alike instead of on whichever pass it overlaps.
    seconds = {name: 0.0 for name, _ in runners}
    outputs: dict[str, list] = {name: [] for name, _ in runners}
    for a in articles:
        for name, fn in runners:
            t0 = time.perf_counter()
            outputs[name].append(fn(a.text))
            seconds[name] += time.perf_counter() - t0
    for name, _ in runners:
        report = Report()
        for a, places in zip(articles, outputs[name], strict=True):
            score_article(a, places, report)
        d = report.as_dict()
        results[name] = chars / seconds[name]
        print(
            f"{name:9s} {results[name]:>10,.0f} chars/s  F1 {d['f1']:.3f}  "
            f"acc@161km {d['accuracy_161km']:.3f}  P {d['precision']:.3f}  R {d['recall']:.3f}"
        )
    for name in results:
        if name != "geo":
            print(f"throughput ratio geo/{name}: {results['geo'] / results[name]:.2f}")
    from geo.evaluate import evaluate_resolution

    d = evaluate_resolution(GWN).as_dict()
    print(
        f"resolution only (gold spans given): acc@161km {d['accuracy_161km']:.3f}  "
        f"median {d['median_error_km']} km  AUC {d['auc']:.3f}"
    )
