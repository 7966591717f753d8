"""The ``discourse`` command.

::

    discourse run ANALYSIS.yaml [--out DIR] [--quiet]   run an analysis file (tables, figures, manifest)
    discourse run --example [--out DIR]                 run the bundled example on the bundled corpus
    discourse check ANALYSIS.yaml                       check an analysis file against its data without running it
    discourse verify OUT                                check every file of a run against its manifest.json
    discourse corpora [NAME] [--summary] [--data-home DIR]
                                                        the corpora: one line each (--summary: load each and
                                                        count documents and tokens), or one corpus's datasheet
    discourse summary NAME [--data-home DIR]            load a corpus and print its summary table
    discourse validate sample CORPUS... --out SHEET.csv [--dictionary YAML] [--per frame] [--n 30] [--seed 0]
                                                        draw a coding sheet of frame hits (and --near-misses N)
    discourse validate score SHEET.csv [--drawn DRAWN.csv] [--by frame,concept,pattern]
                                                        precision with Wilson intervals of a coded sheet
    discourse validate agreement SHEET.csv [--coders relevant relevant_2]
                                                        Cohen's kappa and Krippendorff's alpha of two coders
    discourse shard SOURCE OUT [--documents-per-shard N] [--text-column C] [--id-column C] [--overwrite]
                                                        write a corpus (a registered name, or a .csv, .jsonl(.gz),
                                                        .parquet file, streamed) as Parquet shards with a manifest
    discourse download [NAME ...|--all] [--data-home DIR]
                                                        fetch corpora from their public source (checksums
                                                        verified, interrupted downloads resumed); no NAME:
                                                        say where each corpus comes from

Exit status: 0 on success; 2 for a user error (bad command line, analysis file, data or output
folder: one line, no traceback); 1 when ``verify`` finds a difference or for an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "build_parser", "EXAMPLE"]

# The example analysis shipped in the package (reads the bundled corpus "sample").
EXAMPLE = Path(__file__).with_name("examples") / "sample.yaml"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``discourse`` command."""
    parser = argparse.ArgumentParser(
        prog="discourse",
        description="Discourse analysis of French text: run an analysis file, list and summarise corpora.",
    )
    parser.add_argument("--version", action="store_true", help="print the library version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_run = sub.add_parser("run", help="run an analysis file: tables, figures and manifest.json into --out")
    p_run.add_argument("config", nargs="?", default=None, help="the analysis file (YAML)")
    p_run.add_argument("--example", action="store_true",
                       help="run the example analysis bundled with the package on the bundled corpus 'sample'")
    p_run.add_argument("--out", default=None, help="output folder (default: out/<file name without .yaml>)")
    p_run.add_argument("--quiet", action="store_true", help="no progress display")

    p_check = sub.add_parser("check", help="check an analysis file against its data (seconds, nothing is run) and "
                                           "print it with every default filled in")
    p_check.add_argument("config", help="the analysis file (YAML)")

    p_verify = sub.add_parser("verify", help="check every file of a run's output folder against its manifest.json")
    p_verify.add_argument("out", help="the output folder of `discourse run`")

    p_corpora = sub.add_parser("corpora", help="list the corpora, where they are read from and which are present")
    p_corpora.add_argument("name", nargs="?", default=None, help="one corpus: print its datasheet and summary")
    p_corpora.add_argument("--data-home", default=None, help="folder holding the corpora (default: $DISCOURSE_DATA)")
    p_corpora.add_argument("--summary", action="store_true",
                           help="load every corpus and print documents, tokens, metadata and dates (slow: reads them all)")

    p_download = sub.add_parser("download", help="fetch corpora from their public source into the data folder")
    p_download.add_argument("names", nargs="*", metavar="NAME", help="corpora to fetch (none: list the sources)")
    p_download.add_argument("--all", action="store_true", help="every corpus that has a public source")
    p_download.add_argument("--data-home", default=None, help="folder to write into (default: $DISCOURSE_DATA, else ~/discourse_data)")
    p_download.add_argument("--force", action="store_true", help="fetch every file again, even those present")
    p_download.add_argument("--quiet", action="store_true", help="no progress bar")

    p_shard = sub.add_parser("shard", help="write a corpus as Parquet shards (a folder with shards.json) for the "
                                           "sharded engines; files are streamed, never read whole")
    p_shard.add_argument("source", help="a corpus name (see `discourse corpora`), a .csv/.tsv/.jsonl(.gz)/.parquet file "
                                           "(streamed) or a folder of .txt files")
    p_shard.add_argument("out", help="the shard folder to write")
    p_shard.add_argument("--documents-per-shard", type=int, default=1000, help="documents in each shard (default 1000)")
    p_shard.add_argument("--text-column", default="text", help="text column of a file (default: text)")
    p_shard.add_argument("--id-column", default="doc_id", help="id column of a file (default: doc_id; absent: doc0, doc1…)")
    p_shard.add_argument("--chunk-size", type=int, default=10_000, help="rows of a file read at a time (default 10000)")
    p_shard.add_argument("--data-home", default=None, help="folder holding the corpora (default: $DISCOURSE_DATA)")
    p_shard.add_argument("--overwrite", action="store_true", help="replace an existing shard folder")
    p_shard.add_argument("--quiet", action="store_true", help="no progress bar")

    p_summary = sub.add_parser("summary", help="load a corpus and print its summary table")
    p_summary.add_argument("name", help="corpus name (see `discourse corpora`)")
    p_summary.add_argument("--data-home", default=None, help="folder holding the corpora (default: $DISCOURSE_DATA)")
    _add_validate_parser(sub)
    return parser


def _add_validate_parser(sub: Any) -> None:
    """The ``validate`` subcommand: check a frame dictionary against hand-coded hits."""
    p = sub.add_parser("validate", help="validate a frame dictionary: draw a coding sheet, score it, measure agreement")
    vsub = p.add_subparsers(dest="validate_command", metavar="STEP")
    s = vsub.add_parser("sample", help="draw a reproducible coding sheet of frame hits from corpora")
    s.add_argument("corpora", nargs="+", help="corpus names (see `discourse corpora`)")
    s.add_argument("--out", required=True, help="the coding sheet to write (CSV)")
    s.add_argument("--dictionary", default=None, help="frame dictionary YAML (default: the shipped dictionary)")
    s.add_argument("--per", default="frame", choices=["frame", "concept", "pattern"], help="strata sampled separately")
    s.add_argument("--n", type=int, default=30, help="rows drawn per stratum (default 30)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.add_argument("--window", type=int, default=12, help="tokens of context each side (default 12)")
    s.add_argument("--near-misses", type=int, default=0, metavar="N",
                   help="also write N near misses per frame to OUT with '_near' before the extension")
    s.add_argument("--domain-stop-words", nargs="*", default=[], help="domain stop-word lists (e.g. parliament)")
    s.add_argument("--data-home", default=None, help="folder holding the corpora (default: $DISCOURSE_DATA)")
    c = vsub.add_parser("score", help="precision per pattern, concept and frame of a coded sheet, with Wilson intervals")
    c.add_argument("sheet", help="the coded sheet (CSV)")
    c.add_argument("--drawn", default=None, help="the sheet as drawn, to check that no row was added or lost")
    c.add_argument("--by", default="frame,concept,pattern", help="levels, comma-separated (default frame,concept,pattern)")
    c.add_argument("--column", default="relevant", help="the code column (default relevant)")
    a = vsub.add_parser("agreement", help="agreement of two coders' columns (Cohen's kappa, Krippendorff's alpha)")
    a.add_argument("sheet", help="the coded sheet (CSV)")
    a.add_argument("--coders", nargs=2, default=["relevant", "relevant_2"], help="the two code columns")


def _cmd_validate(args: argparse.Namespace) -> int:
    from discourse.frames import validation

    if args.validate_command is None:
        print("discourse validate: choose a step: sample, score or agreement", file=sys.stderr)
        return 2
    try:
        if args.validate_command == "sample":
            from discourse import Preprocessor, corpora

            tokens = {}
            for name in args.corpora:
                corpus = corpora.load(name, data_home=args.data_home)
                tokens[name] = Preprocessor(domain_stop_words=args.domain_stop_words).transform(corpus)
            sheet = validation.sample_hits(tokens, args.dictionary, per=args.per, n=args.n, window=args.window, random_state=args.seed)
            path = validation.write_sheet(sheet, args.out)
            print(f"{len(sheet)} hits written to {path}; fill the 'relevant' column with true/false, then "
                  f"`discourse validate score {path}`")
            if args.near_misses:
                near = validation.near_misses(tokens, args.dictionary, n=args.near_misses, random_state=args.seed)
                out = Path(args.out)
                npath = validation.write_sheet(near, out.with_name(out.stem + "_near" + out.suffix))
                print(f"{len(near)} near misses written to {npath}")
            return 0
        if args.validate_command == "score":
            coded = validation.read_sheet(args.sheet, args.drawn, coders=(args.column,))
            table = validation.precision(coded, by=[b.strip() for b in args.by.split(",") if b.strip()], column=args.column)
            _print_table(table.round(3))
            return 0
        coded = validation.read_sheet(args.sheet, coders=tuple(args.coders), allow_missing=True)
        for key, value in validation.agreement(coded, args.coders).items():
            print(f"{key}\t{value:.3f}" if key != "n" else f"{key}\t{int(value)}")
        return 0
    except validation.SheetError as err:
        print(f"discourse: {err}", file=sys.stderr)
        return 2


def _print_table(table) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    with pd.option_context("display.max_columns", None, "display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False))


def _cmd_run(args: argparse.Namespace) -> int:
    from discourse.pipeline import run

    if args.example == (args.config is not None):
        print("discourse run: give an analysis file or --example (not both)", file=sys.stderr)
        return 2
    if args.example:
        args.config = str(EXAMPLE)
    out = args.out or str(Path("out") / Path(args.config).stem)
    manifest = run(args.config, out, progress=not args.quiet)
    figures = sorted({str(Path(o["path"]).parent) for o in manifest["outputs"] if o["kind"] == "figure"})
    print(f"tables, figures and manifest.json written to {out}/")
    for folder in figures:
        print(f"  figures: {Path(out) / folder}/")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    import yaml

    from discourse.pipeline import check

    config, problems = check(args.config)
    if problems:
        for problem in problems:
            print(f"discourse: {problem}", file=sys.stderr)
        print(f"discourse: {len(problems)} problem(s) found; nothing was run", file=sys.stderr)
        return 2
    print(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), end="")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from discourse.pipeline import verify

    problems = verify(args.out)
    for problem in problems:
        print(f"discourse: {problem}", file=sys.stderr)
    if problems:
        print(f"discourse: {args.out}: {len(problems)} difference(s) with its manifest", file=sys.stderr)
        return 1
    print(f"{args.out}: every file matches its manifest")
    return 0


def _cmd_corpora(args: argparse.Namespace) -> int:
    import pandas as pd

    from discourse import corpora

    if args.name is None:
        if args.summary:
            _print_table(corpora.summary_table(data_home=args.data_home))
            return 0
        home = Path(corpora.data_home(args.data_home))
        rows = []
        for name in corpora.names():
            meta = corpora.info(name)
            present = "bundled" if meta.embedded else ("yes" if (home / name).is_dir() else "no")
            rows.append({"corpus": name, "present": present,
                         "units": meta.units, "title": meta.title})
        print(f"corpora read from {home} (data_home= or $DISCOURSE_DATA)")
        _print_table(pd.DataFrame(rows))
        return 0
    if args.name not in corpora.names():
        print(f"discourse: unknown corpus {args.name!r}; corpora: {', '.join(corpora.names())}", file=sys.stderr)
        return 2
    print(corpora.info(args.name))
    datasheet = Path(__file__).resolve().parents[1] / "corpora" / f"{args.name}.md"
    if datasheet.is_file():
        print()
        print(datasheet.read_text(encoding="utf-8"))
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from discourse import corpora

    corpus = corpora.load(args.name, data_home=args.data_home)
    _print_table(corpus.summary())
    return 0


def _cmd_shard(args: argparse.Namespace) -> int:
    from discourse import corpora
    from discourse.shards import stream_file, write_shards

    path = Path(args.source)
    if path.is_dir():
        from discourse import io

        source: Any = io.read_folder(path)
    elif path.is_file():
        source = stream_file(path, text_column=args.text_column, id_column=args.id_column, chunk_size=args.chunk_size)
    elif args.source in corpora.names():
        source = corpora.load(args.source, data_home=args.data_home)
    else:
        raise FileNotFoundError(f"{args.source!r} is neither a file nor a corpus name (known: {', '.join(corpora.names())})")
    sharded = write_shards(source, args.out, documents_per_shard=args.documents_per_shard, overwrite=args.overwrite,
                           progress=not args.quiet)
    print(f"{sharded.n_documents} documents in {len(sharded)} shards: {sharded.folder}")
    return 0


def _cmd_download(args: argparse.Namespace) -> int:
    from discourse import corpora

    table = corpora.sources()
    if not args.names and not args.all:
        print(f"data folder: {corpora.data_home(args.data_home)} (--data-home or $DISCOURSE_DATA)")
        _print_table(table[["corpus", "source", "files", "megabytes"]])
        print()
        for row in table.itertuples():
            print(f"{row.corpus}: {row.how}")
        return 0
    names = list(table.loc[table["source"] == "public", "corpus"]) if args.all else args.names
    status = 0
    for name in names:
        try:
            where = corpora.download(name, data_home=args.data_home, force=args.force, progress=not args.quiet)
        except corpora.DownloadError as err:
            print(f"discourse: {name}: {err}", file=sys.stderr)
            status = 1
            continue
        kind = "bundled with the package, nothing to download" if corpora.info(name).embedded else "verified"
        print(f"{name}: {where} ({kind})")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``discourse`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        import discourse

        print(discourse.__version__)
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    os.environ.setdefault("MPLBACKEND", "Agg")
    handlers = {"run": _cmd_run, "check": _cmd_check, "verify": _cmd_verify, "corpora": _cmd_corpora, "summary": _cmd_summary,
                "validate": _cmd_validate, "download": _cmd_download,
                "shard": _cmd_shard}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("discourse: interrupted", file=sys.stderr)
        return 130
    except Exception as err:
        if not _is_user_error(err):
            raise
        # a user error is one line: what is wrong and where, never a traceback
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"discourse: {_one_line(message)}", file=sys.stderr)
        return 2


def _is_user_error(err: BaseException) -> bool:
    """Errors about the command line, the analysis file, the data or the output folder."""
    from discourse.pipeline import ConfigError, OutputError

    return isinstance(err, (ConfigError, OutputError, FileNotFoundError, FileExistsError, NotADirectoryError, IsADirectoryError,
                            PermissionError, ValueError, KeyError, UnicodeError, ImportError))


def _one_line(message: object, limit: int = 500) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
