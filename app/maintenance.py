"""`backprop-lab gc`: delete the networks unused for BACKPROP_LAB_EXPIRE_DAYS days (or
--days) with their undo and samples, then VACUUM the database to give the space back. The
server does the same every BACKPROP_LAB_GC_SECONDS, with an incremental vacuum."""

from __future__ import annotations

import argparse
import os
import sys

from app.errors import LabError
from app.service import upkeep
from app.service.schema import DatabaseProblem
from app.service.stores import open_store, store_kind
from app.settings import Settings, database_text


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="backprop-lab gc",
        description="Delete networks unused for a number of days and return the space "
        "(VACUUM). Safe while the server runs.",
    )
    parser.add_argument(
        "--db", help="the SQLite file or postgresql:// URL (default: $BACKPROP_LAB_DB)"
    )
    parser.add_argument(
        "--days",
        type=float,
        help="delete networks unused this long (default: $BACKPROP_LAB_EXPIRE_DAYS, 90; "
        "0 deletes none and only returns the space)",
    )
    args = parser.parse_args(argv)
    if args.db:
        os.environ["BACKPROP_LAB_DB"] = db_setting(args.db)
    settings = Settings()
    days = settings.expire_days if args.days is None else args.days
    where = settings.db if store_kind(settings.db) == "sqlite" else database_text(settings.db)
    try:
        store = open_store(settings)
    except DatabaseProblem as e:
        print(f"backprop-lab gc: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        store.open(full_check=True)
        done = upkeep.collect(store, days, full=True)
    except DatabaseProblem as e:
        print(f"backprop-lab gc: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    except LabError as e:
        print(f"backprop-lab gc: {where}: {e.message}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        store.close()
    print(
        f"backprop-lab gc: {where}: deleted {done.networks} network(s) unused for "
        f"{days:g} days; {mb(done.before)} → {mb(done.after)} on disk"
    )


def db_setting(db: str) -> str:
    """The --db option as the setting: a file's absolute path, or the URL as given."""
    return db if store_kind(db) == "postgresql" else os.path.abspath(db)


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"
