"""The command line: parse, call the library, print. Library errors become one line on stderr.

Machine-readable output goes to stdout alone; logs, warnings and progress go to stderr, and
progress bars appear only when stderr is a terminal. ``-`` stands for stdin or stdout wherever
a command reads or writes a file.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geo.errors import ConfigurationError, GeoError, InputError
from geo.memory import use_system_allocator
from geo.safe_text import TerminalFormatter, for_terminal
from geo.vocab import plural

Handler = Callable[[argparse.Namespace], int]

DISTRIBUTION = "geo-conflict-maps"
STDIO = "-"


def version() -> str:
    """The installed distribution's version (what ``pip`` sees)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (not installed)"


# -- standard streams -------------------------------------------------------------------------


def _progress(args: argparse.Namespace) -> bool:
    """Bars only for a person watching: never with -q, never into a file or a pipe."""
    return not args.quiet and sys.stderr.isatty()


def _stdin_bytes(limit: int, what: str) -> bytes:
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{STDIO}: stdin is over the {limit / 1e6:.0f} MB {what} limit")
    return data


def _stdin_article():
    """The article piped in on stdin, checked as a file would be."""
    from geo import settings
    from geo.articles import article_from_text, decode_text

    data = _stdin_bytes(settings.MAX_ARTICLE_BYTES, "article")
    return article_from_text(decode_text(data, STDIO), STDIO)


def _article(path: str):
    from geo.articles import load_article

    return _stdin_article() if path == STDIO else load_article(path)


@contextlib.contextmanager
def _input_file(path: str, suffix: str) -> Iterator[str]:
    """A real file name for ``path``; stdin is copied to a temporary file first."""
    if path != STDIO:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="geo-stdin-") as tmp:
        target = Path(tmp) / f"stdin{suffix}"
        with target.open("wb") as f:
            shutil.copyfileobj(sys.stdin.buffer, f)
        yield str(target)


@contextlib.contextmanager
def _output_file(path: str, suffix: str) -> Iterator[Path]:
    """A real file name for ``path``; for stdout the finished file is copied there at the end."""
    if path != STDIO:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="geo-stdout-") as tmp:
        target = Path(tmp) / f"stdout{suffix}"
        yield target
        with target.open("rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _folder(path: str, option: str = "--output") -> str:
    if path == STDIO:
        raise ConfigurationError(f"{option} must be a folder here: the output is several files")
    return path


# -- commands ---------------------------------------------------------------------------------


def _cmd_setup(args: argparse.Namespace) -> int:
    from geo.gazetteer import build, naturalearth

    path = build.ensure_index(force=args.force)
    naturalearth.warm_cache()
    if not args.quiet:
        _status(f"gazetteer index ready: {path}")
    return 0


def _cmd_places(args: argparse.Namespace) -> int:
    from geo import output, places

    failed = 0
    # Front matter can smuggle a lone surrogate in through a YAML escape ("\ud800"); written as
    # the escape it came in as, it stays valid JSON instead of crashing the UTF-8 stream.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")

    def documents():
        nonlocal failed
        for path in args.files:
            try:
                article = _article(path)
                batches = places.joined_batches(article, geocoder=args.geocoder)
            except GeoError as exc:
                _status(f"geo places: {for_terminal(exc, one_line=True)}")
                failed += 1
                continue
            yield output.StreamedDocument(path, article, batches)

    output.write_documents(documents(), args.format, sys.stdout, layer=args.layer)
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

    with _input_file(args.corpus, ".xml") as corpus:
        if args.resolution_only:
            report = evaluate.evaluate_resolution(corpus, limit=args.limit)
        else:
            report = evaluate.evaluate_corpus(corpus, limit=args.limit, progress=_progress(args))
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        sys.stdout.write(report.as_text())
    return 0


def _cmd_eval_claims(args: argparse.Namespace) -> int:
    from geo.claims import claims_from_file
    from geo.claims.score import as_text, load_gold, score

    report = score(load_gold(args.gold), claims_from_file)
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        sys.stdout.write(as_text(report))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    import os

    from geo.render.build import build

    out = _folder(args.out)
    with contextlib.ExitStack() as stack:
        paths = [stack.enter_context(_input_file(p, ".md")) for p in args.paths]
        report = build(
            paths,
            out,
            force=args.force,
            progress=_progress(args),
            workers=(os.cpu_count() or 1) if args.workers is None else args.workers,
            scheduler=args.scheduler,
            follow_symlinks=args.follow_symlinks,
        )
    for name, reason in [*report.ignored, *report.failed]:
        reason = reason.removeprefix(f"{name}: ")  # an input error names its file already
        _status(for_terminal(f"geo build: {name}: {reason}", one_line=True))
    if report.failed or not args.quiet:  # -q keeps the summary when it reports failures
        _status(
            f"geo build: {len(report.built)} built, {len(report.skipped)} unchanged, "
            f"{len(report.failed)} failed -> {os.fspath(out)}"
        )
    return 0 if report.ok else 2


def _cmd_export(args: argparse.Namespace) -> int:
    from geo import export, places
    from geo.claims import claims_frame, claims_of_document
    from geo.join import theatre_layers

    fmt = export.format_for(args.out, args.format)
    doc = places.places_from_article(_article(args.file), geocoder=args.geocoder)
    date = args.date or doc.article.date
    layers = theatre_layers(doc.places, date)
    layers["claims"] = claims_frame(claims_of_document(doc))
    with _output_file(args.out, export.SUFFIXES[fmt]) as target:
        path = export.write_layers(layers, target, fmt)
    counts = ", ".join(f"{name} {len(gdf)}" for name, gdf in layers.items())
    if not args.quiet:
        shown = "stdout" if args.out == STDIO else path
        _status(f"geo export: {shown} ({fmt}; {counts})")
    return 0


def _corpus_inputs(inputs: Sequence[str]) -> list[str]:
    """``-`` reads more inputs from stdin, one a line (``find ... | geo corpus - -o x``)."""
    out: list[str] = []
    for item in inputs:
        if item == STDIO:
            out.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            out.append(item)
    return out


def _cmd_corpus(args: argparse.Namespace) -> int:
    from geo.corpus import geoparse_corpus

    if args.workers is not None and args.workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    if args.workers is not None and args.scheduler not in (None, "local"):
        raise ConfigurationError("--workers is for local runs: a Dask cluster has its own workers")

    def failure(source: str, reason: str) -> None:
        from tqdm import tqdm

        tqdm.write(for_terminal(f"geo corpus: {source}: {reason}", one_line=True), file=sys.stderr)

    with _output_file(args.out, ".parquet") as out:
        report = geoparse_corpus(
            _corpus_inputs(args.inputs),
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            batch_size=args.batch_size,
            limit=args.limit,
            progress=_progress(args),
            on_failure=failure,
            claims_out=args.claims,
        )
    if report.interrupted:
        _status(
            f"geo corpus: interrupted after {report.done} articles; finished batches are kept, "
            "rerun the same command to geoparse the rest"
        )
        return 130
    rate = report.done / report.seconds if report.seconds else 0.0
    articles = plural(report.total, "article")
    if report.failed or not args.quiet:
        shown = "stdout" if args.out == STDIO else report.out
        _status(
            f"geo corpus: {articles}: {report.done} geoparsed ({rate:.0f}/s), "
            f"{report.skipped} already done, {len(report.failed)} failed; "
            f"{report.rows} mentions -> {shown}"
        )
        if args.out != STDIO or args.claims:
            print(f"geo corpus: {report.claims} claims -> {report.claims_out}", file=sys.stderr)
    return 0 if report.ok else 2


def _cmd_corpus_map(args: argparse.Namespace) -> int:
    from geo.render.corpus_map import summary, write_corpus_map

    if args.out == STDIO:
        raise ConfigurationError("--output must be a file: the map's assets are written beside it")
    with _input_file(args.parquet, ".parquet") as parquet:
        path, data = write_corpus_map(parquet, args.out, title=args.title)
    counts = summary(data)
    if not args.quiet:
        _status(
            f"geo corpus-map: {path} ({counts['places']} towns and sites, "
            f"{counts['mentions']} mentions of them, {counts['articles']} articles over "
            f"{plural(counts['months'], 'month')}; countries, seas and regions are not drawn)"
        )
    return 0


def _cmd_theatre_import(args: argparse.Namespace) -> int:
    from geo.theatres.importers import ImportOptions, import_export

    options = ImportOptions(
        source=args.source,
        name=args.name,
        country=args.country.upper() if args.country else None,
        since=args.since,
        until=args.until,
        step=args.step,
        contested_days=args.contested_days,
        skip_bad_rows=args.skip_bad_rows,
    )
    report = import_export(args.file, options, args.out)
    for problem in report.bad_rows[:20]:
        _status(f"geo theatre import: {args.file}: skipped {problem}")
    span = (
        f"{report.dates[0]} to {report.dates[-1]}" if report.dates else "no control (events only)"
    )
    _status(
        f"geo theatre import: {report.events} events, {report.places} places, {report.actors} "
        f"actors, {len(report.dates)} control dates ({span}) -> {report.folder}"
    )
    return 0


def _cmd_theatre_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from geo.theatres.authoring import list_theatres

    rows = list_theatres()
    if args.format == "json":
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        span = (
            f"{r.first} .. {r.last} ({plural(r.dates, 'date')})" if r.first else "no control dates"
        )
        state = (
            f"ERROR {r.error}"
            if r.error
            else (f"{r.places} places, {r.control} control rows, {r.events} events")
        )
        print(f"{r.id}\t{r.origin}\t{span}\t{state}\t{r.folder}")
    return 0


def _cmd_theatre_new(args: argparse.Namespace) -> int:
    from geo.theatres.authoring import new_theatre

    folder = new_theatre(args.folder, args.name, args.country.split(","))
    _status(f"geo theatre new: skeleton written to {folder}; see docs/theatres.md")
    return 0


def _cmd_theatre_check(args: argparse.Namespace) -> int:
    from geo.theatres.authoring import check_theatre

    result = check_theatre(args.folder)
    if result.error:
        _status(result.error)
        return 2
    for warning in result.warnings:
        _status(f"warning: {warning}")
    _status(f"geo theatre check: {args.folder}: valid, {len(result.warnings)} warnings")
    return 0


def _cmd_theatre_show(args: argparse.Namespace) -> int:
    from geo.render.theatre_map import write_theatre_map

    path = write_theatre_map(args.folder, args.date, args.out)
    _status(f"geo theatre show: {path}")
    return 0


def _subcommand(
    sub: Any,
    common: list[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    """One subcommand: its help line and description, the common options, and its handler."""
    p = sub.add_parser(name, help=summary, description=description, parents=common)
    p.set_defaults(handler=handler)
    return p


def _add_theatre_parser(sub) -> None:
    """``geo theatre import|list|new|check``: theatres from event exports, and authoring tools."""
    common = [_common()]
    top = sub.add_parser(
        "theatre",
        parents=common,
        help="import, list, create and check theatres",
        description="Theatres are folders of sourced data files (docs/theatres.md): import one "
        "from an ACLED or UCDP GED export, list those the maps use, start a new one, check one.",
    )
    theatre = top.add_subparsers(dest="theatre_command", required=True, metavar="ACTION")

    action = functools.partial(_subcommand, theatre, common)

    p = action(
        "import",
        "a theatre folder from an ACLED or UCDP GED export",
        "Read an ACLED or UCDP GED CSV export as a stream and write a theatre folder: actors, "
        "places, events and sources, and (ACLED) control at every month end from its territory "
        "transfers. Bad rows are listed with their line numbers and nothing is written.",
        _cmd_theatre_import,
    )
    p.add_argument("file", metavar="EXPORT.csv")
    p.add_argument("--from", dest="source", choices=["acled", "ucdp"], required=True)
    p.add_argument("--name", required=True, help="the theatre's name (its id is the slug)")
    p.add_argument("--country", default=None, help="ISO 3166 alpha-2: only rows in it")
    p.add_argument("--since", default=None, help="YYYY-MM-DD: only events on or after")
    p.add_argument("--until", default=None, help="YYYY-MM-DD: only events on or before")
    p.add_argument("--step", default="month", help="control dates: month (default), week, N days")
    p.add_argument(
        "--contested-days",
        type=int,
        default=30,
        help="clashes this recent after a transfer make a place contested (default 30)",
    )
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows when some are bad (default: write nothing)",
    )
    _output_option(p, "theatre folder to write", required=True, metavar="DIR")
    p = action(
        "list",
        "every theatre the maps use, with dates and row counts",
        "List the bundled theatres, then the user's (GEO_THEATRES, ~/.local/share/geo/theatres).",
        _cmd_theatre_list,
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p = action(
        "new",
        "write a documented, empty theatre folder",
        "Write the files of a new theatre with their headers, to fill in by hand.",
        _cmd_theatre_new,
    )
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--name", required=True)
    p.add_argument("--country", required=True, help="ISO 3166 alpha-2 codes, comma-separated")
    p = action(
        "check",
        "validate a theatre folder and list what to review",
        "Load a theatre folder as the maps do: its one error (file:line: field), or warnings "
        "(rows whose sources have no URL, places far from the gazetteer's, date gaps, shared "
        "colours).",
        _cmd_theatre_check,
    )
    p.add_argument("folder", metavar="DIR")
    p = action(
        "show",
        "a quick map of a theatre at a date",
        "Write an offline map of a theatre folder at one date: its places labelled, its zones, "
        "frontlines, events and other layers, as an article's map draws them.",
        _cmd_theatre_show,
    )
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: the last control date)")
    _output_option(p, "HTML file to write", required=True, metavar="HTML")


def _cmd_completion(args: argparse.Namespace) -> int:
    import shtab

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0


# -- the parser -------------------------------------------------------------------------------


def _common() -> argparse.ArgumentParser:
    """Options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("output on stderr")
    group.add_argument(
        "-q", "--quiet", action="store_true", help="errors only: no progress, no summary"
    )
    group.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log lines (-vv for debugging)"
    )
    return common


def _output_option(p: argparse.ArgumentParser, what: str, **kwargs) -> None:
    # --out is the older spelling, kept so existing scripts go on working
    p.add_argument("-o", "--output", "--out", dest="out", help=what, **kwargs)


def _geocoder_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--geocoder", default="gazetteer", help="gazetteer (offline, default) or nominatim"
    )


def build_parser() -> argparse.ArgumentParser:
    from geo import export, output

    parser = argparse.ArgumentParser(
        prog="geo",
        description="From conflict news to layered maps: find the places articles name, "
        "join them with who holds the ground, and map them. '-' is stdin or stdout.",
        epilog="'geo COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = [_common()]

    command = functools.partial(_subcommand, sub, common)

    p = command(
        "setup",
        "build the offline gazetteer index (once)",
        "Build the offline gazetteer index from the packaged GeoNames and Natural Earth data, "
        "and warm the shape cache. Other commands run it themselves when needed.",
        _cmd_setup,
    )
    p.add_argument("--force", action="store_true", help="rebuild even if up to date")

    p = command(
        "places",
        "list the places articles mention",
        "Find and resolve the places each article names, with who controls them at the "
        "article's date. FILE '-' reads one article from stdin.",
        _cmd_places,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=output.FORMATS, default="table")
    p.add_argument(
        "--layer",
        choices=output.LAYERS,
        default="places",
        help="what table/csv/geojson list: places, or the event claims read from the sentences"
        " (json has both)",
    )
    _geocoder_option(p)

    p = command(
        "geocode",
        "ranked gazetteer candidates for a name",
        "Look a name up and list the candidate places, best first, with their scores.",
        _cmd_geocode,
    )
    p.add_argument("query")
    p.add_argument("--country", default=None, help="ISO 3166 alpha-2 code to restrict to")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--format", choices=["table", "json"], default="table")
    _geocoder_option(p)

    p = command(
        "eval",
        "score geoparsing on a GeoWebNews-format corpus",
        "Geoparse every article of a GeoWebNews XML corpus and score recognition and "
        "resolution against its gold annotations. CORPUS.xml '-' reads stdin.",
        _cmd_eval,
    )
    p.add_argument("corpus", metavar="CORPUS.xml")
    p.add_argument("--limit", type=int, default=None, help="only the first N articles")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--resolution-only",
        action="store_true",
        help="score the resolver alone: gold spans given, each resolved with its article's",
    )

    p = command(
        "eval-claims",
        "score event claims against a gold file",
        "Read the claims of every article a gold JSON file lists and score them: precision and "
        "recall by (kind, place within 50 km) and (kind, actor, place), and how often the date "
        "is right; held-out articles are reported apart (docs/claims.md).",
        _cmd_eval_claims,
    )
    p.add_argument("gold", metavar="GOLD.json")
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = command(
        "build",
        "build a layered map per article, plus an index page",
        "Build an offline map for every article under the given folders or files, and an "
        "index.html listing them; unchanged articles are skipped. '-' reads one article from "
        "stdin.",
        _cmd_build,
    )
    p.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    _output_option(p, "output folder (default: maps)", default="maps", metavar="DIR")
    p.add_argument("--force", action="store_true", help="rebuild even unchanged articles")
    p.add_argument("--workers", type=int, default=None, help="processes (default: CPU count)")
    p.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler, or 'local'"
    )
    p.add_argument(
        "--follow-symlinks", action="store_true", help="read articles that are symbolic links"
    )

    p = command(
        "export",
        "write an article's map layers for GIS tools",
        "Write the layers of an article's map (places, zones, frontlines, routes, events, "
        "maritime) as GeoJSON, GeoPackage or CSV with WKT; the format follows the output's "
        "extension unless --format says otherwise. FILE '-' reads stdin; --output '-' writes "
        "stdout (GeoJSON unless --format).",
        _cmd_export,
    )
    p.add_argument("file", metavar="FILE")
    _output_option(p, "file to write (.geojson, .gpkg, .csv, or '-')", required=True, metavar="OUT")
    p.add_argument(
        "--format", choices=export.FORMATS, default=None, help="default: from OUT's extension"
    )
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: the article's date)")
    _geocoder_option(p)

    p = command(
        "corpus",
        "geoparse many articles in parallel into GeoParquet",
        "Geoparse every article under the given folders, files or patterns (Markdown, text, "
        "JSON Lines, CSV) in parallel into one GeoParquet file of place mentions. Finished "
        "batches are kept, so an interrupted run resumes. '-' reads more inputs from stdin, "
        "one a line.",
        _cmd_corpus,
    )
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB", help="folders, files or patterns")
    _output_option(p, "GeoParquet file to write, or '-'", required=True, metavar="PLACES.parquet")
    p.add_argument(
        "--workers", type=int, default=None, help="processes, local or in --scheduler local"
    )
    p.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler, or 'local'"
    )
    p.add_argument("--batch-size", type=int, default=None, help="articles per task")
    p.add_argument("--limit", type=int, default=None, help="geoparse at most N new articles")
    p.add_argument(
        "--claims",
        default=None,
        metavar="CLAIMS.parquet",
        help="GeoParquet of the articles' claims (default: beside OUT, NAME.claims.parquet)",
    )

    p = command(
        "corpus-map",
        "map a corpus GeoParquet over time",
        "Write an offline map of a corpus GeoParquet (from 'geo corpus') with a time slider, "
        "and list it on the index page beside it. PLACES.parquet '-' reads stdin.",
        _cmd_corpus_map,
    )
    p.add_argument("parquet", metavar="PLACES.parquet")
    _output_option(
        p, "HTML file (default: maps/corpus.html)", default="maps/corpus.html", metavar="HTML"
    )
    p.add_argument("--title", default=None, help="the map's title")

    p = command(
        "completion",
        "print a shell completion script",
        "Print a completion script for bash, zsh or tcsh. For bash: "
        "geo completion bash > ~/.local/share/bash-completion/completions/geo",
        _cmd_completion,
    )
    p.add_argument("shell", choices=["bash", "zsh", "tcsh"])

    _add_theatre_parser(sub)
    return parser


def _status(message: str) -> None:
    """A line for the reader: on stderr, as stdout carries only machine output."""
    print(message, file=sys.stderr)


def _did_you_mean(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """A mistyped command gets a suggestion rather than the whole list of choices."""
    commands = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    word = next((a for a in argv if not a.startswith("-")), None)
    if word is None or word in commands:
        return
    close = difflib.get_close_matches(word, list(commands), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (choose from {', '.join(commands)})"
    parser.exit(2, f"geo: unknown command '{word}'{hint}\n")


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else (logging.WARNING, logging.INFO)[min(args.verbose, 1)]
    if args.verbose >= 2:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter(f"geo {args.command}: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use_system_allocator()
    parser = build_parser()
    _did_you_mean(parser, argv)
    args = parser.parse_args(argv)
    _configure_logging(args)
    handler: Handler = args.handler
    try:
        return handler(args)
    except GeoError as exc:
        _status(f"geo {args.command}: {for_terminal(exc, one_line=True)}")
        return exc.exit_code
    except KeyboardInterrupt:
        _status(f"geo {args.command}: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # an unwritable output folder or cache: the file and why, one line
        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or type(exc).__name__
        _status(f"geo {args.command}: {for_terminal(where + reason, one_line=True)}")
        return 2
