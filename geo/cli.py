"""The command line: parse, call the library, print. Library errors become one line on stderr.

Machine-readable output goes to stdout alone; progress and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from geo.errors import ConfigurationError, GeoError

Handler = Callable[[argparse.Namespace], int]


def _cmd_setup(args: argparse.Namespace) -> int:
    from geo.gazetteer import build, naturalearth

    path = build.ensure_index(force=args.force)
    naturalearth.warm_cache()
    print(f"gazetteer index ready: {path}", file=sys.stderr)
    return 0


def _enrich_once_per_place(batch: list[dict], date: str | None, enrich_records) -> list[dict]:
    """Join each distinct place once: an article names Tripoli many times, a long file
    thousands of times, and the theatre joins are the costly part."""
    keys = [(r["id"], r["lat"], r["lon"], r["kind"]) for r in batch]
    first: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    joined = enrich_records([batch[i] for i in first.values()], date)
    by_key = dict(zip(first, joined, strict=True))
    added = ("control", "control_status", "backers", "routes", "route_roles", "events", "roles")
    return [
        rec | {k: by_key[key].get(k) for k in added} for rec, key in zip(batch, keys, strict=True)
    ]


def _cmd_places(args: argparse.Namespace) -> int:
    from geo import output, places
    from geo.articles import load_article
    from geo.enrich import enrich_records

    failed = 0
    # Front matter can smuggle a lone surrogate in through a YAML escape ("\ud800"); written as
    # the escape it came in as, it stays valid JSON instead of crashing the UTF-8 stream.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")

    def enriched(article):
        for batch in places.iter_place_batches(article, geocoder=args.geocoder):
            yield _enrich_once_per_place(batch, article.date, enrich_records)

    def documents():
        nonlocal failed
        for path in args.files:
            try:
                article = load_article(path)
                batches = list(enriched(article)) if len(article.text) < 1_000_000 else None
            except GeoError as exc:
                print(f"geo places: {exc}", file=sys.stderr)
                failed += 1
                continue
            # A long file streams its batches; an article is geoparsed before any of it is
            # written, so that an error in it never leaves half a document on stdout.
            yield output.StreamedDocument(path, article, batches or enriched(article))

    output.write_documents(documents(), args.format, sys.stdout)
    return 2 if failed else 0


def _cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocoders import get_geocoder

    geocoder = get_geocoder(args.geocoder)
    found = geocoder.geocode(args.query, exactly_one=False, limit=args.limit, country=args.country)
    rows = []
    for loc in found or []:
        raw = loc.raw
        rows.append(
            {
                "name": raw.get("name", loc.address),
                "id": raw.get("id"),
                "kind": raw.get("kind"),
                "country": raw.get("country"),
                "lat": round(loc.latitude, 5),
                "lon": round(loc.longitude, 5),
                "population": raw.get("population"),
                "score": raw.get("score"),
            }
        )
    if args.format == "json":
        print(json.dumps({"query": args.query, "candidates": rows}, ensure_ascii=False, indent=2))
    else:
        from geo.output import format_table

        cols = ["score", "name", "kind", "country", "lat", "lon", "population", "id"]
        sys.stdout.write(format_table(rows, cols))
    return 0 if rows else 1


def _cmd_eval(args: argparse.Namespace) -> int:
    from geo import evaluate

    report = evaluate.evaluate_corpus(args.corpus, limit=args.limit, progress=not args.quiet)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        sys.stdout.write(report.as_text())
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.render.build import main_build

    return main_build(args.paths, args.out, force=args.force, quiet=args.quiet)


def _cmd_export(args: argparse.Namespace) -> int:
    from geo import export, places
    from geo.enrich import theatre_layers

    doc = places.places_from_file(args.file, geocoder=args.geocoder)
    date = args.date or doc.article.date
    layers = theatre_layers(doc.places, date)
    path = export.write_layers(layers, args.output, args.format)
    counts = ", ".join(f"{name} {len(gdf)}" for name, gdf in layers.items())
    print(f"geo export: {path} ({counts})", file=sys.stderr)
    return 0


def _cmd_corpus(args: argparse.Namespace) -> int:
    from geo.corpus import geoparse_corpus

    if args.workers is not None and args.workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    if args.workers is not None and args.scheduler not in (None, "local"):
        raise ConfigurationError("--workers is for local runs: a Dask cluster has its own workers")

    def failure(source: str, reason: str) -> None:
        from tqdm import tqdm

        tqdm.write(f"geo corpus: {source}: {reason}", file=sys.stderr)

    report = geoparse_corpus(
        args.inputs,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        batch_size=args.batch_size,
        limit=args.limit,
        progress=not args.quiet,
        on_failure=failure,
    )
    if report.interrupted:
        print(
            f"geo corpus: interrupted after {report.done} articles; finished batches are kept, "
            "rerun the same command to geoparse the rest",
            file=sys.stderr,
        )
        return 130
    rate = report.done / report.seconds if report.seconds else 0.0
    articles = f"{report.total} article{'s' if report.total != 1 else ''}"
    print(
        f"geo corpus: {articles}: {report.done} geoparsed ({rate:.0f}/s), "
        f"{report.skipped} already done, {len(report.failed)} failed; "
        f"{report.rows} mentions -> {report.out}",
        file=sys.stderr,
    )
    return 0 if report.ok else 2


def _cmd_corpus_map(args: argparse.Namespace) -> int:
    from geo.render.corpus_map import summary, write_corpus_map

    path, data = write_corpus_map(args.parquet, args.out, title=args.title)
    counts = summary(data)
    months = f"{counts['months']} month{'s' if counts['months'] != 1 else ''}"
    print(
        f"geo corpus-map: {path} ({counts['places']} places, {counts['mentions']} mentions, "
        f"{counts['articles']} articles over {months})",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="geo", description="From conflict news to layered maps.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("setup", help="build the offline gazetteer index (once)")
    p.add_argument("--force", action="store_true", help="rebuild even if up to date")
    p.set_defaults(handler=_cmd_setup)

    p = sub.add_parser("places", help="list the places articles mention")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["table", "json", "geojson", "csv"], default="table")
    p.add_argument("--geocoder", default="gazetteer", help="gazetteer (offline) or nominatim")
    p.set_defaults(handler=_cmd_places)

    p = sub.add_parser("geocode", help="ranked gazetteer candidates for a name")
    p.add_argument("query")
    p.add_argument("--country", default=None, help="ISO 3166 alpha-2 code to restrict to")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--geocoder", default="gazetteer")
    p.set_defaults(handler=_cmd_geocode)

    p = sub.add_parser("eval", help="score geoparsing on a GeoWebNews-format corpus")
    p.add_argument("corpus", metavar="CORPUS.xml")
    p.add_argument("--limit", type=int, default=None, help="only the first N articles")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_eval)

    p = sub.add_parser("build", help="build a layered map per article, plus maps/index.html")
    p.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    p.add_argument("--out", default="maps", help="output folder (default: maps)")
    p.add_argument("--force", action="store_true", help="rebuild even unchanged articles")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_build)

    p = sub.add_parser("export", help="write an article's map layers for GIS tools")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=["geojson", "gpkg", "csv"], default="geojson")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: the article's date)")
    p.add_argument("--geocoder", default="gazetteer", help="gazetteer (offline) or nominatim")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser("corpus", help="geoparse many articles in parallel into GeoParquet")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB", help="folders, files or patterns")
    p.add_argument("--out", required=True, metavar="PLACES.parquet", help="GeoParquet to write")
    p.add_argument(
        "--workers", type=int, default=None, help="processes, local or in --scheduler local"
    )
    p.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler, or 'local'"
    )
    p.add_argument("--batch-size", type=int, default=None, help="articles per task")
    p.add_argument("--limit", type=int, default=None, help="geoparse at most N new articles")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_corpus)

    p = sub.add_parser("corpus-map", help="map a corpus GeoParquet over time")
    p.add_argument("parquet", metavar="PLACES.parquet")
    p.add_argument(
        "--out", default="maps/corpus.html", help="HTML file (default: maps/corpus.html)"
    )
    p.add_argument("--title", default=None, help="the map's title")
    p.set_defaults(handler=_cmd_corpus_map)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except GeoError as exc:
        print(f"geo {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"geo {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
