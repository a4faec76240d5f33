"""Settings from environment variables with the prefix BACKPROP_LAB_."""

from __future__ import annotations

import os
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_LAB_")

    db: str = "backprop-lab.db"  # the SQLite file, or a postgresql:// URL; schema made on start
    db_pool: Annotated[int, Field(ge=1)] = 10  # connections to PostgreSQL per server process
    max_body_bytes: int = 1 << 20  # larger request bodies get 413
    work_seconds: float = 1.0  # the most estimated work one request may ask for
    undo_levels: int = 100  # undo history kept per network
    undo_bytes: int = 4 << 20  # and at most this many bytes of it (the newest level always)
    expire_days: float = 90  # networks unused this long are deleted (0: kept for ever)
    gc_seconds: float = 3600  # how often the server deletes expired networks
    create_per_minute: int = 60  # networks one client address may create a minute (0: any)
    header_seconds: float = 10  # a request's headers must arrive within this
    body_seconds: float = 30  # and its body within this after them
    keep_alive_seconds: float = 5  # an idle keep-alive connection is closed after this
    send_seconds: float = 30  # a client that reads nothing of an answer for this long is dropped
    max_connections: int = 1000  # beyond this (or the descriptor limit), new connections get 503
    forwarded_allow_ips: str = ""  # proxies whose X-Forwarded-For names the client
    heartbeat_seconds: float = 10  # an event stream's comment line after this much silence
    events_dir: str = ""  # the folder where a server's workers share their change events
    notify_seconds: float = 0.05  # how often a process with followers checks for changes
    chromium: str = ""  # Chromium for the PDF handout; "": chromium (or another name) on PATH


def database_text(db: str) -> str:
    """Where the networks are kept, for the start-up line: the SQLite file's absolute path,
    or a database server's address (never its password)."""
    if "://" not in db:
        return f"the SQLite file {os.path.abspath(db)}"
    url = urlsplit(db)
    where = f"{url.hostname or 'localhost'}" + (f":{url.port}" if url.port else "")
    return f"the {url.scheme} database {url.path.lstrip('/') or '(default)'} on {where}"
