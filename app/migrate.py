"""`backprop-lab migrate --from FILE.db --to postgresql://…`: copy every network, with its
undo history and samples, from one store to another (app/service/transfer.py), then verify
the copy: each network read back has its original's checksum, and the counts agree. Safe
to run again after an interruption: networks copied already are checked, not copied twice.
"""

from __future__ import annotations

import argparse
import os
import sys

from app.errors import LabError
from app.service import transfer
from app.service.schema import DatabaseProblem
from app.service.stores import open_store as store_for
from app.service.stores import store_kind
from app.settings import Settings, database_text

SHOWN = 10  # ids listed at most per problem


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="backprop-lab migrate",
        description="Copy every network (its undo history and samples too) from one "
        "database to another and verify the copy. Stop the servers using the source first: "
        "a network changed during the copy keeps its change only in the source.",
    )
    parser.add_argument(
        "--from", dest="source", required=True, help="the SQLite file to copy (or a PostgreSQL URL)"
    )
    parser.add_argument(
        "--to",
        dest="target",
        required=True,
        help="where to: postgresql://user:pass@host/db (or another SQLite file)",
    )
    return parser.parse_args(argv)


def open_store(db: str, create: bool):
    """The store at `db` (an SQLite file or a PostgreSQL URL), checked, its schema created
    or upgraded; a source (`create` False) must be an SQLite file that exists."""
    if not create and store_kind(db) == "sqlite" and not os.path.isfile(db):
        raise DatabaseProblem(f"{db}: no such file; give the SQLite file to copy (--from)")
    store = store_for(Settings(db=db))
    store.open(full_check=True)
    return store


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    source = target = None
    try:
        source = open_store(args.source, create=False)
        target = open_store(args.target, create=True)
        before = transfer.counts(target)
        report = transfer.copy_all(source, target)
        after, originals = transfer.counts(target), transfer.counts(source)
    except DatabaseProblem as e:
        fail(str(e), 2)
    except LabError as e:
        fail(e.message, 1)
    finally:
        for store in (source, target):
            if store is not None:
                store.close()
    print(
        f"backprop-lab migrate: {report.networks} network(s) with {report.undo} undo "
        f"level(s) and {report.data} sample set(s), from {database_text(args.source)} to "
        f"{database_text(args.target)}: {report.copied} copied, {report.same} there already"
    )
    problems = summary(report, before, after, originals)
    if problems:
        fail("; ".join(problems), 1)
    print(
        "backprop-lab migrate: verified: every copy reads back with its original's checksum; "
        f"the target holds {after[0]} network(s), {after[1]} undo level(s), "
        f"{after[2]} sample set(s)"
    )


def summary(report: transfer.Report, before, after, originals) -> list[str]:
    """What is wrong with the copy, one sentence each (nothing: it is verified)."""
    problems = []
    if report.conflicts:
        problems.append(
            f"{len(report.conflicts)} network(s) not copied: the target holds a different "
            f"network with the same id or watch id ({listed(report.conflicts)})"
        )
    if report.mismatched:
        problems.append(
            f"{len(report.mismatched)} copied network(s) read back different from the "
            f"original ({listed(report.mismatched)}); run migrate again"
        )
    if before == (0, 0, 0) and after != originals:
        problems.append(
            f"the target holds {after} networks/undo levels/sample sets, the source {originals}"
        )
    return problems


def listed(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def fail(message: str, status: int):
    print(f"backprop-lab migrate: {message}", file=sys.stderr, flush=True)
    raise SystemExit(status)
