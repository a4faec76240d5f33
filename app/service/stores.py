"""Which store keeps the networks: the database setting (BACKPROP_LAB_DB, --db) is an
SQLite file's path, or a ``postgresql://`` (``postgres://``) URL for a PostgreSQL server
(app/service/pgstore.py, with the extra ``pip install 'backprop-lab[postgres]'``).
`NetworkStore` is what the service needs of either."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, Protocol

from app.service.rows import Pending, Stored
from app.service.schema import DatabaseProblem

if TYPE_CHECKING:
    from app.service.change import Change
    from app.settings import Settings

Kind = Literal["sqlite", "postgresql"]
SCHEMES = ("postgresql://", "postgres://")
EXTRA = "pip install 'backprop-lab[postgres]'"


class NetworkStore(Protocol):
    """The store's interface (app/service/store.py has the semantics)."""

    kind: str
    undo_levels: int
    undo_bytes: int

    def open(self, full_check: bool = False) -> None: ...
    def close(self) -> None: ...
    def ping(self) -> None: ...
    def insert(
        self,
        state: dict,
        data: dict,
        client: str | None = None,
        per_minute: int = 0,
        checked: bool = False,
    ) -> Stored: ...
    def copy(
        self, key: str, by: str = "id", client: str | None = None, per_minute: int = 0
    ) -> Stored | None: ...
    def load(self, key: str, by: str = "id") -> Stored | None: ...
    def accepted(self, stored: Stored) -> None: ...
    def find(self, watch_id: str) -> tuple[str, int] | None: ...
    def delete(self, nid: str) -> bool: ...
    def change(self, nid: str) -> AbstractContextManager[Change | None]: ...
    def commit(self, nid: str, version: int, pending: Pending) -> Stored | int | None: ...
    def versions(self, ids: list[str]) -> dict[str, int]: ...
    def undo_depth(self, nid: str) -> int: ...
    def creation_wait(self, client: str, per_minute: int) -> float: ...
    def transaction(self) -> AbstractContextManager[Any]: ...
    def reading(self) -> AbstractContextManager[Any]: ...
    def delete_unused(self, cutoff: float, batch: int) -> int: ...
    def forget_full_budgets(self) -> None: ...
    def file_bytes(self) -> int: ...
    def vacuum(self, full: bool = False) -> None: ...


def store_kind(db: str) -> Kind:
    """ "postgresql" for a PostgreSQL URL, else "sqlite" (a file's path)."""
    return "postgresql" if db.lower().startswith(SCHEMES) else "sqlite"


def open_store(settings: Settings) -> NetworkStore:
    """The store the settings name, not yet connected (its `open` checks the database and
    creates or upgrades its schema). DatabaseProblem when the PostgreSQL extra is missing."""
    limits = (settings.undo_levels, settings.undo_bytes)
    if store_kind(settings.db) == "sqlite":
        from app.service.store import SQLiteStore

        return SQLiteStore(settings.db, *limits)
    try:
        from app.service.pgstore import PostgresStore
    except ImportError as e:
        raise DatabaseProblem(
            f"the PostgreSQL store needs psycopg and psycopg_pool, which are not installed "
            f"({e}); install them with: {EXTRA}"
        ) from None
    return PostgresStore(settings.db, *limits, pool=settings.db_pool)
