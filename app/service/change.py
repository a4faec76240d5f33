"""One network's row inside the store's write transaction (app/service/store.py): read,
saved, undone, retitled."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from app.service import codec
from app.service.rows import Pending, Stored, prepare

if TYPE_CHECKING:
    from app.service.store import Store


class Change:
    """One network's row (ROW's columns) inside a write transaction. Its state is parsed
    only when asked for (`current`): a caller that already holds this version need not
    read it again."""

    def __init__(self, store: Store, conn, row: tuple):
        self.store, self.conn, self._row = store, conn, row
        self.id, self.version, self._blob, self.data_key, self.watch_id, self.title = row
        self._current: Stored | None = None

    @property
    def current(self) -> Stored:
        if self._current is None:
            self._current = self.store.stored(self.conn, self._row)
        return self._current

    def named(self, stored: Stored) -> Stored:
        """`stored` with this network's watch id and title."""
        stored.watch_id, stored.title = self.watch_id, self.title
        return stored

    def apply(self, pending: Pending) -> Stored:
        saved = self.store._apply(self.conn, self.id, self.version, self.data_key, pending)
        return self.named(saved)

    def retitle(self, title: str, new_version: bool = True) -> int:
        """Set the title (nothing goes onto the undo stack), as a change of its own
        (version + 1) or, after `save` in the same transaction, as part of that one: the
        network's version now."""
        version = self.version + 1 if new_version else self.version
        self.conn.execute(
            "UPDATE networks SET version=version+?, title=? WHERE id=?",
            (int(new_version), title, self.id),
        )
        self.version, self.title = version, title
        return version

    def _packed(self) -> codec.Packed:
        """The row's state as a Packed record: the one read already (not changed since: a
        Packed is its own), else decoded from the row."""
        if self._current is not None and self._current.packed is not None:
            return self._current.packed
        return codec.decode_packed(self._blob)[1]

    def save(self, state: dict, data: dict | None, before: codec.Packed | None = None) -> Stored:
        """Write the new state (version + 1), with new samples `data` (None: the samples
        stay as they are); the old state (`before`, Packed, if the caller holds it, else the
        row's) goes onto the undo stack."""
        old = before if before is not None else self._packed()
        return self.apply(prepare(old, state, data))

    def undo(self) -> Stored | None:
        """Bring back the latest earlier state (version + 1); None when there is none."""
        conn = self.conn
        row = conn.execute(
            "SELECT seq, state, data_key FROM undo WHERE id=? ORDER BY seq DESC LIMIT 1", (self.id,)
        ).fetchone()
        if row is None:
            return None
        seq, delta, key = row
        state, packed = codec.decode_packed(delta, self._packed())
        conn.execute("DELETE FROM undo WHERE id=? AND seq=?", (self.id, seq))
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=?, touched=? WHERE id=?",
            (self.version + 1, codec.encode(packed), key, int(time.time()), self.id),
        )
        if key != self.data_key:
            self.store._drop_data_if_unused(conn, self.data_key)
        data = self.store._get_data(conn, key)
        return self.named(Stored(self.id, self.version + 1, state, data))
