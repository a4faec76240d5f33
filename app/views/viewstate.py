"""Per-viewer view state (focus, sample, digits, open editor, mode) and how it is read from
a request's query or form. It travels in the URL query and in hidden inputs, never in the
store."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urlencode

from app.views.display import Display
from app.views.format import DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS
from app.views.model import NetworkModel

# Indices of at most 6 ASCII digits: a longer one names nothing (and would cost int() time).
FOCUS = re.compile(r"^(n)-(\d{1,6})-(\d{1,6})$|^(e)-(\d{1,6})-(\d{1,6})-(\d{1,6})$", re.ASCII)
EDIT = re.compile(
    r"^(w-\d{1,6}-\d{1,6}-\d{1,6}|[bxy]-\d{1,6}-\d{1,6}|lr)$",
    re.ASCII,
)


@dataclass(frozen=True)
class ViewState:
    """focus ("n", l, j) or ("e", l, j, k) with 1-based j, k; sample 0-based. A network that
    trains in mini-batches shows its current batch's first sample unless a sample was
    chosen (`follow`: the shown sample follows the batch from step to step)."""

    focus: tuple | None = None
    sample: int = 0
    digits: int = DEFAULT_DIGITS
    edit: str | None = None
    mode: str = "step"  # "step" | "train": the equations or the training view beside
    log: bool = False  # loss curve on a log scale
    thumbs: bool = False  # each hidden neuron's output over the plane in the diagram
    follow: bool = False  # the sample shown is the batch's (mini-batches, none chosen)
    discrete: bool = False  # the boundary shows each point's class, not the output
    present: bool = False  # the presenter view: a projector's text, the table hidden
    practice: bool = False  # Practice: the next click's values wait for the learner

    @property
    def sample_param(self) -> str:
        """The sample as the forms carry it: blank while it follows the batch."""
        return "" if self.follow else str(self.sample + 1)

    display: Display = field(default_factory=Display)  # text size and screen (not in the URL)

    def query(self, **changes) -> str:
        """The URL query that reproduces this view (with `changes` applied)."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def focus_query(self) -> Callable[[tuple | None], str]:
        """`query(focus=…)` for many foci at once (every neuron's and edge's link): the
        other parameters are worked out once."""
        rest = self.params(focus=None)
        everything = "?" + urlencode(rest) if rest else ""
        tail = "&" + urlencode(rest) if rest else ""

        def query(focus: tuple | None) -> str:
            if not focus:
                return everything
            return "?focus=" + focus_key(focus) + tail  # letters, digits and '-' only

        return query

    def params(self, **changes) -> dict[str, str | int]:
        """The query parameters of this view (with `changes` applied), defaults left out."""
        v = replace(self, **changes)
        params: dict[str, str | int] = {}
        if v.focus:
            params["focus"] = focus_key(v.focus)
        if v.sample and not v.follow:
            params["sample"] = v.sample + 1
        if v.digits != DEFAULT_DIGITS:
            params["digits"] = v.digits
        if v.edit:
            params["edit"] = v.edit
        if v.mode != "step":
            params["mode"] = v.mode
        if v.log:
            params["log"] = 1
        if v.thumbs:
            params["thumbs"] = 1
        if v.discrete:
            params["discrete"] = 1
        if v.present:
            params["present"] = 1
        if v.practice:
            params["practice"] = 1
        return params


@lru_cache(maxsize=8192)
def focus_key(focus: tuple) -> str:
    """The focus as the URL writes it ("e-1-2-1"; remembered: every link of a drawing)."""
    return "-".join(str(p) for p in focus)


def to_int(text, default: int) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return default


def parse_focus(text, layers: list[int]) -> tuple | None:
    """A focus key that names an existing neuron or edge, else None."""
    m = FOCUS.match(str(text or ""))
    if not m:
        return None
    if m.group(1):
        l, j = int(m.group(2)), int(m.group(3))
        return ("n", l, j) if l < len(layers) and 1 <= j <= layers[l] else None
    l, j, k = (int(m.group(i)) for i in (5, 6, 7))
    ok = 1 <= l < len(layers) and 1 <= j <= layers[l] and 1 <= k <= layers[l - 1]
    return ("e", l, j, k) if ok else None


def parse_view(params, net: NetworkModel) -> ViewState:
    """The view of `net` from query / form parameters; anything out of range falls back
    quietly."""
    m = net.m
    chosen = str(params.get("sample") or "").strip()
    follow = net.minibatch and not chosen
    sample = net.batch[0] if follow else min(max(to_int(chosen, 1), 1), m) - 1
    digits = min(max(to_int(params.get("digits"), DEFAULT_DIGITS), MIN_DIGITS), MAX_DIGITS)
    edit = params.get("edit")
    edit = edit if edit and EDIT.match(edit) else None
    mode = "train" if params.get("mode") == "train" else "step"
    return ViewState(
        parse_focus(params.get("focus"), net.layers),
        sample,
        digits,
        edit,
        mode,
        flag(params.get("log")),
        flag(params.get("thumbs")),
        follow,
        discrete=flag(params.get("discrete")),
        present=flag(params.get("present")),
        practice=flag(params.get("practice")),
    )


def flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "on", "true", "yes")
