"""What a class needs of a network beside changing it: reading it by its watch id (the
read-only link), copying it (by either id) and giving it a title. LabService has these
(app/service/lab.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from app.errors import Invalid, NotFound
from app.service.records import join, missing, record_of
from app.service.snapshot import Snapshot
from app.service.store import Stored
from app.service.stores import NetworkStore
from app.settings import Settings

MAX_TITLE = 80  # characters of a network's title


def unknown_watch(watch_id: str) -> NotFound:
    return NotFound(
        f"no network with watch id {watch_id!r}: the network was deleted, or the link is "
        "mistyped; ask for the link again"
    )


def checked_title(title: str) -> str:
    """`title` without surrounding spaces; Invalid (naming the field and the limit) when
    it is too long or holds control characters (line breaks, tabs, …)."""
    title = title.strip()
    if len(title) > MAX_TITLE:
        raise Invalid(
            f"title: {len(title)} characters is too long: at most {MAX_TITLE}; shorten it",
            field="title",
            limit=MAX_TITLE,
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in title):
        raise Invalid(
            "title: it holds a control character (a line break, tab or an invisible "
            "formatting character); give the title as one line of plain text",
            field="title",
        )
    return title


def titled(report: dict, title: str | None) -> dict:
    """An edit's report, saying also that the title changed (when it did)."""
    if title is None:
        return report
    return {
        **report,
        "changed": [*report.get("changed", []), "title"],
        "message": f"{report.get('message', 'the network changed')}; the title is now {title!r}",
    }


class Sharing:
    """LabService's methods for a class (see the module's docstring)."""

    store: NetworkStore
    settings: Settings
    if TYPE_CHECKING:  # LabService's own

        def snapshot(self, nid, version, net, record, named, extra=None) -> Snapshot: ...

        def current(self, ch, target) -> tuple: ...

    def _creations(self) -> int:
        return self.settings.create_per_minute

    def of(self, stored: Stored) -> Snapshot:
        return self.snapshot(stored.id, stored.version, join(stored), record_of(stored), stored)

    def watch(self, watch_id: str) -> Snapshot:
        """The network as stored now, read by its watch id: a read-only Snapshot whose id is
        the watch id (see app/service/snapshot.py); NotFound when there is none."""
        stored = self.store.load(watch_id, by="watch_id")
        if stored is None:
            raise unknown_watch(watch_id)
        return replace(self.of(stored), id=stored.watch_id, watching=True)

    def copy(self, nid: str, client: str | None = None) -> Snapshot:
        """A new network (new id and watch id, no undo levels) identical to network `nid`
        as it is now: spec, parameters, initial parameters, samples and split, cursor,
        trace, iteration, histories, optimiser state and title. A copy is a creation:
        `client` is held to its creations a minute."""
        stored = self.store.copy(nid, "id", client, self._creations())
        if stored is None:
            raise missing(nid)
        return self.of(stored)

    def copy_watched(self, watch_id: str, client: str | None = None) -> Snapshot:
        """As `copy`, of the network with this watch id."""
        stored = self.store.copy(watch_id, "watch_id", client, self._creations())
        if stored is None:
            raise unknown_watch(watch_id)
        return self.of(stored)

    def set_title(self, target, title: str) -> Snapshot:
        """Give the network `target` (an id or a Snapshot) a title (at most MAX_TITLE
        characters, one line): a change (version + 1) that undo does not take back; the
        Snapshot's extra `edit` says so."""
        title = checked_title(title)
        nid = target.id if isinstance(target, Snapshot) else target
        with self.store.change(nid) as ch:
            if ch is None:
                raise missing(nid)
            net, record = self.current(ch, target)
            ch.retitle(title)
        said = f"the title is now {title!r}" if title else "the title is cleared"
        report = {"changed": ["title"], "message": said}
        return self.snapshot(nid, ch.version, net, record, ch, {"edit": report})
