"""The `backprop-lab` command (and `python -m app`): serve the app with uvicorn, after
checking the database; `backprop-lab gc` expires unused networks and returns the space;
`backprop-lab migrate` copies every network to another database."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from app import __version__
from app.maintenance import db_setting
from app.service.schema import DatabaseProblem
from app.service.stores import open_store
from app.settings import Settings, database_text
from app.web.shared_events import make_folder, remove_folder


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="backprop-lab",
        description="Step through backpropagation one layer at a time, in the browser.",
        epilog="backprop-lab gc --help: expire unused networks and return the space; "
        "backprop-lab migrate --help: copy every network to another database",
    )
    parser.add_argument("--version", action="version", version=f"backprop-lab {__version__}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--db",
        help="SQLite file, or postgresql://user:password@host/database URL, for the networks "
        "(default: $BACKPROP_LAB_DB, else backprop-lab.db in the current folder)",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--reload", action="store_true", help="restart when the code changes (development)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["gc"]:
        from app.maintenance import main as gc

        return gc(argv[1:])
    if argv[:1] == ["migrate"]:
        from app.migrate import main as migrate

        return migrate(argv[1:])
    args = parse_args(argv)
    if args.db:
        os.environ["BACKPROP_LAB_DB"] = db_setting(args.db)
    settings = Settings()
    check_database(settings)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"backprop-lab {__version__}: open http://{host}:{args.port}/ (API docs at /docs); "
        f"networks in {database_text(settings.db)}",
        flush=True,
    )
    # several workers render each change event once between them (app/web/shared_events.py)
    shared = args.workers > 1 and not settings.events_dir
    if shared:
        os.environ["BACKPROP_LAB_EVENTS_DIR"] = folder = make_folder()
    try:
        uvicorn.run(
            "app.main:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            reload=args.reload,
            log_level="warning",
            **connection_options(settings),
        )
    finally:
        if shared:
            remove_folder(folder)


def check_database(settings: Settings) -> None:
    """Open the database once, fully checked (schema created or upgraded); a database that
    cannot be used (or a PostgreSQL URL without the postgres extra) ends the command with
    the message and exit status 2."""
    try:
        store = open_store(settings)
        try:
            store.open(full_check=True)
        finally:
            store.close()
    except DatabaseProblem as e:
        print(f"backprop-lab: cannot start: {e}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def connection_options(settings: Settings) -> dict:
    """uvicorn's options for our connection handling (app/server.py). The event loop is
    uvicorn's default, "auto": uvloop's where it is installed (a dependency where it has
    wheels), else asyncio's."""
    return {
        "http": "app.server:Protocol",
        "timeout_keep_alive": max(1, round(settings.keep_alive_seconds)),
        "timeout_graceful_shutdown": 10,
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or None,
    }
