"""Settings from environment variables with the prefix BACKPROP_LAB_."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_LAB_")

    db: str = "backprop-lab.db"  # the SQLite file; created with its schema on start
    max_body_bytes: int = 1 << 20  # larger request bodies get 413
    work_seconds: float = 1.0  # the most estimated work one request may ask for
    undo_levels: int = 100  # undo history kept per network
