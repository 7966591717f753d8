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

    p_summary = sub.add_parser("summary", help="load a corpus and print its summary table")
    p_summary.add_argument("name", help="corpus name (see `discourse corpora`)")
    p_summary.add_argument("--data-home", default=None, help="folder holding the corpora (default: $DISCOURSE_DATA)")
    return parser


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
                "download": _cmd_download}
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

    return isinstance(err, (ConfigError, OutputError, FileNotFoundError, NotADirectoryError, IsADirectoryError,
                            PermissionError, ValueError, KeyError, UnicodeError, ImportError))


def _one_line(message: object, limit: int = 500) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
