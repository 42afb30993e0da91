"""The `policy-history` command line: stable contracts over the pipeline's stages.

Each command calls one library function. Exit status: 0 when it worked; 1 for a failed build or an expected
error (one line on stderr, never a traceback); 2 for a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

EXAMPLES = {
    "extract": "policy-history extract page.html --url http://example.com/privacy --captured-at 20190301000000",
    "segment": "policy-history segment policy.md",
    "tag": "policy-history segment policy.md | policy-history tag",
    "train-tagger": "policy-history train-tagger --opp115 ../shared/data/opp115 --out warehouse/tagger.joblib",
    "build": "policy-history build --warc archive.warc.gz --db warehouse/policy.duckdb",
    "demo": "policy-history demo",
    "schema": "policy-history schema > docs/tables.md",
    "query": 'policy-history query "select * from sites"',
}
# The project folder when run from a source checkout: its dagster.yaml configures the instance `make dev` shows.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUERY_DB = "warehouse/policy.published/policy.duckdb"
ID_KEYS = ("segment_id", "id")  # what `tag` reads a record's id from: `segment`'s records, or hand-made ones


class CliError(Exception):
    """An expected failure: printed as one line, exit status 1."""


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _timestamp(value: str) -> datetime:
    try:
        return datetime.strptime(value.ljust(14, "0"), "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise argparse.ArgumentTypeError("expected a 14-digit timestamp YYYYMMDDhhmmss") from exc


def cmd_extract(args: argparse.Namespace) -> int:
    from pipelines.text.extract import extract

    data = _read(args.file)
    ctype = "application/pdf" if data[:5] == b"%PDF-" else None
    doc = extract(data, ctype, url=args.url, captured_at=args.captured_at)
    print(json.dumps(doc.contract(), ensure_ascii=False))
    return 0


def cmd_segment(args: argparse.Namespace) -> int:
    from pipelines.text.segment import segment_document

    for seg in segment_document(_read(args.file)):
        print(json.dumps(seg.contract(), ensure_ascii=False))
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from pipelines.practices.taggers import load_tagger

    if args.model and not Path(args.model).exists():
        raise CliError(f"no model at {args.model}")
    tagger = load_tagger(args.model)
    batch: list[dict] = []

    def flush() -> None:
        tagged = tagger.tag_batch([str(r["text"]) for r in batch], [_language(r) for r in batch])
        for record, tags in zip(batch, tagged, strict=True):
            record["categories"] = [t.category for t in tags]
            record["scores"] = {t.category: t.score for t in tags}
            print(json.dumps(record, ensure_ascii=False))
        batch.clear()

    for n, line in enumerate(sys.stdin, 1):
        if line.strip():
            batch.append(_tag_record(line, n))
        if len(batch) >= 512:
            flush()
    flush()
    return 0


def _language(record: dict) -> str | None:
    """The record's `language` (ISO 639-1; its text is read with that language's cues), None when absent."""
    lang = record.get("language")
    return None if lang is None else str(lang)


def _tag_record(line: str, n: int) -> dict:
    """One input record of `tag`: a JSON object with `text` and an id (`segment_id`, or `id`)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CliError(f"stdin line {n}: not JSON ({exc})") from exc
    if not isinstance(record, dict) or "text" not in record or not any(k in record for k in ID_KEYS):
        raise CliError(f"stdin line {n}: expected a JSON object with text and segment_id (or id)")
    return record


def cmd_train_tagger(args: argparse.Namespace) -> int:
    from pipelines.practices.train import train

    sidecar = train(Path(args.opp115), Path(args.out))
    print(json.dumps(sidecar, indent=2))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from pipelines.build import build

    _progress_on_tty()
    summary = build(
        db=Path(args.db),
        warc_paths=args.warc,
        sources=args.sources,
        tagger_model=args.model,
        dagster_home=dagster_home(),
    )
    return _report(summary)


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.build import demo

    return _report(demo(Path(args.out), dagster_home=dagster_home()))


def dagster_home() -> Path | None:
    """The Dagster instance a CLI build is recorded in: $DAGSTER_HOME, else the project folder (whose
    dagster.yaml `make dev` uses), else none (an installed package outside a checkout: an ephemeral instance)."""
    home = os.environ.get("DAGSTER_HOME")
    if home:
        if not (Path(home) / "dagster.yaml").is_file():
            raise CliError(f"DAGSTER_HOME={home} has no dagster.yaml")
        return Path(home).resolve()
    return PROJECT_ROOT if (PROJECT_ROOT / "dagster.yaml").is_file() else None


def _progress_on_tty() -> None:
    from pipelines.runtime import progress

    progress.enable()  # CDX listing and fetching, on stderr when it is a terminal


def _report(summary: dict) -> int:
    """Print a build summary as JSON; a failed build also says why on stderr, in one line, and exits 1."""
    print(json.dumps(summary, indent=2, default=str))
    if summary["ok"]:
        return 0
    print(f"policy-history build: failed: {summary['reason']}", file=sys.stderr)
    return 1


def cmd_schema(args: argparse.Namespace) -> int:
    from pipelines.warehouse import marts_doc, schema

    print("## Base tables\n")
    print(schema.markdown_doc())
    print("## Marts\n")
    print(marts_doc.markdown_doc())
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    if not Path(args.db).is_file():
        raise CliError(f"no warehouse at {args.db} (run `policy-history demo` or `build` first)")
    params = dict(_param(p) for p in args.param)
    con = duckdb.connect(args.db, read_only=True)
    try:
        frame = con.execute(args.sql, params or None).df()
    except duckdb.Error as exc:
        raise CliError(" ".join(str(exc).split())) from exc
    finally:
        con.close()
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(frame.to_json(orient="records", lines=True, date_format="iso"), end="")
    else:
        print(frame.to_string(index=False) if len(frame) else f"(no rows; columns: {', '.join(frame.columns)})")
    return 0


def _param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise CliError(f"--param {text}: expected NAME=VALUE")
    return name, value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-history", description="Rebuild the history of privacy policies.")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, epilog=f"example: {EXAMPLES[name]}")
        sp.set_defaults(fn=fn)
        return sp

    sp = add("extract", cmd_extract, "Extract one page (HTML, text or PDF) and print a JSON object.")
    sp.add_argument("file", help="page file, or - for stdin")
    sp.add_argument("--url", help="the page's URL, if known")
    sp.add_argument("--captured-at", type=_timestamp, help="capture time YYYYMMDDhhmmss (caps the stated date)")

    sp = add("segment", cmd_segment, "Split a policy (HTML, markdown or text) into JSON-lines segments.")
    sp.add_argument("file", help="policy file, or - for stdin")

    sp = add(
        "tag",
        cmd_tag,
        "Tag JSON lines from stdin (segment's records, or any object with text and segment_id or id, and an "
        "optional language) with practice categories: each record is written back with categories and scores.",
    )
    sp.add_argument("--model", help="a model saved by train-tagger (default: the built-in rules)")

    sp = add("train-tagger", cmd_train_tagger, "Fit the trained tagger on an OPP-115-format folder's dev split.")
    sp.add_argument("--opp115", required=True, metavar="DIR", help="folder with sanitized_policies/ and annotations/")
    sp.add_argument("--out", required=True, metavar="PATH", help="model file to write (a .json sidecar goes beside)")

    sp = add(
        "build",
        cmd_build,
        "Materialize the whole asset graph from WARC files (or a CDX server) into a DuckDB file. Exit status 0 when "
        "the build worked (warnings listed in the summary), 1 when it failed (nothing is published), 2 on misuse.",
    )
    sp.add_argument(
        "--warc",
        nargs="+",
        default=[],
        metavar="PATH",
        help="WARC/ARC files or folders; they win over the sources file's [archive] (its cdx or warc is then unused)",
    )
    sp.add_argument("--db", required=True, help="DuckDB file to create or update (published to <db stem>.published/)")
    sp.add_argument(
        "--sources",
        help="sources TOML: the sites to follow (default: every host of the WARC files); without --warc, its "
        "[archive] cdx server or warc files are read",
    )
    sp.add_argument("--model", help="trained tagger model (default: the built-in rules)")

    sp = add("demo", cmd_demo, "Generate the sample archive and build its warehouse.")
    sp.add_argument("--out", default="warehouse", help="folder for the sample and the warehouse")

    add("schema", cmd_schema, "Print the warehouse tables (grain, key, columns) and the marts as markdown.")

    sp = add("query", cmd_query, "Run one SQL statement on a warehouse, read-only, and print the result.")
    sp.add_argument("sql", help="the SQL; $name placeholders are bound with --param")
    sp.add_argument("--db", default=DEFAULT_QUERY_DB, help=f"DuckDB file (default: {DEFAULT_QUERY_DB})")
    sp.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind $NAME (repeatable)")
    sp.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default: table)")
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policy-history")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `policy-history` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("pipelines").setLevel(logging.INFO)  # our progress, not every library's chatter
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "build" and not args.warc and not args.sources:
        parser.error("build needs --warc PATH... or --sources FILE with an [archive] table")
    try:
        return args.fn(args)
    except CliError as exc:
        print(f"policy-history {args.command}: {exc}", file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError) as exc:
        print(f"policy-history {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
