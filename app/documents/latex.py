"""A handout (app/documents/handout.py) as a LaTeX document that compiles with a standard
TeX distribution (pdflatex with amsmath, amssymb and geometry: all in TeX Live's
latex-base). Every equation is the lab's own LaTeX; a wide one is set with align*, one
row per '='. The diagram is left out (it is in the HTML and PDF handouts). The source is
plain ASCII: text symbols become TeX commands."""

from __future__ import annotations

import unicodedata

from app.documents.handout import (
    Blank,
    Display,
    Figure,
    Handout,
    Heading,
    Shown,
    Table,
    Text,
    Title,
)
from app.views.mathwidth import fit

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
WIDE = 560  # px (mathwidth.fit): a chain wider than this is stacked at its '=' signs
SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
SYMBOLS = {
    "δ": r"\delta", "η": r"\eta", "σ": r"\sigma", "μ": r"\mu", "β": r"\beta",
    "ε": r"\epsilon", "ℓ": r"\ell", "∂": r"\partial", "∝": r"\propto", "∑": r"\sum",
    "→": r"\to", "←": r"\leftarrow", "×": r"\times", "·": r"\cdot", "≤": r"\le",
    "≥": r"\ge", "±": r"\pm", "−": "-", "ŷ": r"\hat{y}", "∇": r"\nabla", "√": r"\surd",
}  # fmt: skip
TEXT = {"…": r"\ldots{}", "—": "---", "–": "--", "′": "'", "’": "'", "‘": "`", "“": "``",
        "”": "''", "\u00a0": "~", "ϵ": r"$\epsilon$"}  # fmt: skip
SUP, SUB = "⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉"
# TeX's accents for the combining marks of accented Latin letters (é = e + U+0301)
ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
           "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
           "\u030c": "v", "\u0327": "c", "\u0328": "k"}  # fmt: skip


def char(c: str) -> str:
    """One character of running text as LaTeX."""
    if c in SPECIAL:
        return SPECIAL[c]
    if c.isascii():
        return c
    if c in SYMBOLS:
        return f"${SYMBOLS[c]}$"
    if c in TEXT:
        return TEXT[c]
    if c in SUP:
        return f"$^{{{SUP.index(c)}}}$"
    if c in SUB:
        return f"$_{{{SUB.index(c)}}}$"
    letter = unicodedata.normalize("NFD", c)
    if len(letter) == 2 and letter[0].isascii() and letter[1] in ACCENTS:
        return f"\\{ACCENTS[letter[1]]}{{{letter[0]}}}"
    return f"[U+{ord(c):04X}]"  # a character TeX cannot set here: shown, never silently lost


def escape(text: str) -> str:
    return "".join(char(c) for c in text)


def words(text: str) -> str:
    """Words with $…$ maths: the words escaped, the maths as written."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        return escape(text)
    return "".join(f"${p}$" if i % 2 else escape(p) for i, p in enumerate(parts) if p)


def title(t: Title) -> str:
    symbol = f"${t.symbol.latex}$" if t.symbol else ""
    return escape(t.before) + symbol + escape(t.after)


def equation(b: Shown) -> str:
    e = b.equation
    if fit(e.mathml) > WIDE and len(e.sides) > 2:
        rows = [f"{e.sides[0]} &= {e.sides[1]}", *(f"&= {s}" for s in e.sides[2:])]
        body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    else:
        body = f"\\[ {' = '.join(e.sides)} \\]"
    number = escape(b.number + " ") if b.number else ""
    return f"\\noindent\\textbf{{{number}{title(b.title)}}}\n{body}\n"


def table(b: Table) -> str:
    cols = "l" * len(b.header)
    head = " & ".join(rf"\textit{{{escape(h)}}}" for h in b.header)
    rows = "\n".join(" & ".join(words(c) for c in row) + r" \\" for row in b.rows)
    return (
        f"\\noindent {words(b.caption)}\n\n\\begin{{center}}\\begin{{tabular}}{{{cols}}}\n"
        f"\\hline\n{head} \\\\\n\\hline\n{rows}\n\\hline\n\\end{{tabular}}\\end{{center}}\n"
    )


def block(b) -> str:
    if isinstance(b, Heading):
        if b.level == 1:
            return f"\\begin{{center}}{{\\LARGE\\bfseries {words(b.text)}}}\\end{{center}}\n"
        command = "section" if b.level == 2 else "subsection"
        return ("\\clearpage\n" if b.phase else "") + f"\\{command}*{{{words(b.text)}}}\n"
    if isinstance(b, Text):
        return f"\\noindent\\textit{{{words(b.text)}}}\n" if b.note else f"{words(b.text)}\n"
    if isinstance(b, Display):
        lead = f"\\noindent {escape(b.lead)}:\n" if b.lead else ""
        return f"{lead}\\[ {b.latex} \\]\n"
    if isinstance(b, Shown):
        return equation(b)
    if isinstance(b, Blank):
        head = f"\\noindent\\textbf{{{escape(b.number + ' ')}{title(b.title)}}}\n"
        return head + f"\\[ {b.latex} = \\underline{{\\hspace{{8em}}}} \\]\n"
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Figure):
        return "\\noindent\\textit{(The network's diagram is in the HTML and PDF handouts.)}\n"
    raise TypeError(f"no LaTeX for {type(b).__name__}")


def latex(doc: Handout, paper: str = "a4") -> str:
    """The whole document, ready for pdflatex."""
    body = "\n".join(block(b) for b in doc.blocks)
    return (
        f"\\documentclass[11pt,{PAPERS[paper]}]{{article}}\n"
        "\\usepackage{amsmath,amssymb}\n"
        "\\usepackage[margin=2cm]{geometry}\n"
        "\\setlength{\\parindent}{0pt}\n"
        "\\setlength{\\parskip}{0.5\\baselineskip}\n"
        "\\allowdisplaybreaks\n"
        f"\\title{{{escape(doc.title)}}}\n"
        "\\begin{document}\n"
        f"{body}\n"
        "\\end{document}\n"
    )
