"""The `backprop-lab` command (and `python -m app`): serve the app with uvicorn."""

from __future__ import annotations

import argparse
import os

import uvicorn

from app import __version__
from app.settings import Settings, database_text


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="backprop-lab",
        description="Step through backpropagation one layer at a time, in the browser.",
    )
    parser.add_argument("--version", action="version", version=f"backprop-lab {__version__}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--db",
        help="SQLite file for the networks (default: "
        "$BACKPROP_LAB_DB, else backprop-lab.db in the current folder)",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--reload", action="store_true", help="restart when the code changes (development)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.db:
        os.environ["BACKPROP_LAB_DB"] = os.path.abspath(args.db)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"backprop-lab {__version__}: open http://{host}:{args.port}/ (API docs at /docs); "
        f"networks in {database_text(Settings().db)}",
        flush=True,
    )
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        log_level="warning",
    )
