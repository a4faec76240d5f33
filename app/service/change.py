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
        store = self.store
        saved = store._apply(self.conn, self.id, self.version, self.data_key, pending)
        # remembered before the commit: an entry that was never committed is never used,
        # for it is used only with the very blob it was made from (app/service/recent.py)
        if pending.packed is not None:
            # the engine wrote the state with the samples saved.data_key names
            checked = saved.data_key if pending.checked else ""
            store.keep(self.id, pending.blob, pending.state, pending.packed, checked)
        if pending.data is not None and pending.data_key and pending.data_blob:
            store.keep_data(pending.data_key, pending.data_blob, pending.data)
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
        known = self.store.states.get(self.id, bytes(self._blob))
        if known is not None and known.packed is not None:
            return known.packed
        return codec.decode_packed(self._blob)[1]

    def save(
        self,
        state: dict,
        data: dict | None,
        before: codec.Packed | None = None,
        checked: bool = False,
    ) -> Stored:
        """Write the new state (version + 1), with new samples `data` (None: the samples
        stay as they are); the old state (`before`, Packed, if the caller holds it, else the
        row's) goes onto the undo stack. `checked`: as for rows.prepare."""
        old = before if before is not None else self._packed()
        return self.apply(prepare(old, state, data, checked))

    def undo(self) -> Stored | None:
        """Bring back the latest earlier state (version + 1); None when there is none."""
        conn = self.conn
        row = conn.execute(
            "SELECT seq, state, data_key FROM undo WHERE id=? ORDER BY seq DESC LIMIT 1", (self.id,)
        ).fetchone()
        if row is None:
            return None
        seq, delta, key = row
        state, packed = codec.decode_packed(bytes(delta), self._packed())
        blob = codec.encode(packed)
        conn.execute("DELETE FROM undo WHERE id=? AND seq=?", (self.id, seq))
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=?, touched=? WHERE id=?",
            (self.version + 1, blob, key, int(time.time()), self.id),
        )
        self.store.keep(self.id, blob, state, packed)
        if key != self.data_key:
            self.store._drop_data_if_unused(conn, self.data_key)
        data = self.store._get_data(conn, key)
        version = self.version + 1
        return self.named(Stored(self.id, version, state, data, blob=blob, data_key=key))
