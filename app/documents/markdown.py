"""A handout (app/documents/handout.py) as Markdown with LaTeX maths: $…$ inline and
$$…$$ for display equations, each under its heading in bold (an exercise sheet's blank as
an underlined space after the equation). The diagram is left out."""

from __future__ import annotations

from app.documents.handout import Blank, Display, Figure, Handout, Heading, Shown, Table, Text

BLANK = r"\underline{\qquad\qquad\qquad}"  # the space a student writes an answer in


def cell(text: str) -> str:
    return text.replace("|", r"\|")


def block(b) -> str:
    if isinstance(b, Heading):
        return f"{'#' * b.level} {b.text}\n"
    if isinstance(b, Text):
        return f"*{b.text}*\n" if b.note else f"{b.text}\n"
    if isinstance(b, Display):
        return f"{b.lead}: $$ {b.latex} $$\n" if b.lead else f"$$ {b.latex} $$\n"
    if isinstance(b, Shown):
        return f"**{b.heading}**\n\n$$ {b.equation.latex} $$\n"
    if isinstance(b, Blank):
        return f"**{b.heading}**\n\n$$ {b.latex} = {BLANK} $$\n"
    if isinstance(b, Table):
        rows = [b.header, tuple("---" for _ in b.header), *b.rows]
        lines = "\n".join("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
        return f"{b.caption}\n\n{lines}\n"
    if isinstance(b, Figure):
        return ""
    raise TypeError(f"no Markdown for {type(b).__name__}")


def markdown(doc: Handout) -> str:
    return "\n".join(text for text in (block(b) for b in doc.blocks) if text)
