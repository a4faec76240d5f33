"""Settings from environment variables with the prefix BACKPROP_LAB_."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_LAB_")

    db: str = "backprop-lab.db"  # the SQLite file; created with its schema on start
    max_body_bytes: int = 1 << 20  # larger request bodies get 413
    work_seconds: float = 1.0  # the most estimated work one request may ask for
    undo_levels: int = 100  # undo history kept per network
    chromium: str = ""  # Chromium for the PDF handout; "": chromium (or another name) on PATH


def database_text(db: str) -> str:
    """Where the networks are kept, for the start-up line: the SQLite file's absolute path,
    or a database server's address (never its password)."""
    if "://" not in db:
        return f"the SQLite file {os.path.abspath(db)}"
    url = urlsplit(db)
    where = f"{url.hostname or 'localhost'}" + (f":{url.port}" if url.port else "")
    return f"the {url.scheme} database {url.path.lstrip('/') or '(default)'} on {where}"
