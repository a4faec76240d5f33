"""A table cell's value as the page shows it when it is not being edited (the
`value` macro of templates/_macros.html keeps the editor): written here in Python because
the table has a cell per value of the network and a macro call per cell was most of its
rendering time. The markup is the macro's, escaped the same way."""

from __future__ import annotations

from markupsafe import Markup, escape


def shown(c: dict, label: str) -> Markup:
    """An editable value's button (it opens the editor), else the value as text ('·' for
    none)."""
    text = escape(c["text"])
    if c["key"]:
        neg = " neg" if c["neg"] else ""
        return Markup(
            f'<button class="val{neg}" form="view-form" name="edit" value="{escape(c["key"])}" '
            f'aria-label="{text}: edit {escape(label)}">{text}</button>'
        )
    return Markup(f'<span class="{"neg" if c["neg"] else ""}">{escape(c["text"] or "·")}</span>')


GLOBALS = {"shown": shown}  # for every template environment
