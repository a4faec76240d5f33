"""Play's stop condition as the player's form sends it: stop when the loss is below a
value, when the training accuracy reaches 100 % (a classifier), or at an iteration. The
typed text is kept to show again; the condition goes to the service's train."""

from __future__ import annotations

import math

from app.errors import Invalid

FIELDS = ("stop_loss", "stop_accuracy", "stop_at")


def stop_values(form) -> dict[str, str]:
    """The stop fields as typed ('' where absent)."""
    return {name: str(form.get(name) or "").strip()[:30] for name in FIELDS}


def loss_below(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace("−", "-").replace(",", "."))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise Invalid(
            f"Stop when the loss is below: '{text}' is not a number above 0; enter e.g. 0.01.",
            field="stop_loss",
        )
    return value


def stop_at(text: str, iteration: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < iteration:
        raise Invalid(
            f"Stop at iteration: '{text}' is not a whole number from the current iteration "
            f"({iteration}) on; enter e.g. {iteration + 1000}.",
            field="stop_at",
        )
    return int(text)


def condition(values: dict[str, str], iteration: int) -> tuple[dict | None, int | None]:
    """({loss_below, accuracy} for train, or None; the iteration to stop at, or None)."""
    stop: dict = {}
    below = loss_below(values["stop_loss"])
    if below is not None:
        stop["loss_below"] = below
    if values["stop_accuracy"]:
        stop["accuracy"] = 1.0
    return stop or None, stop_at(values["stop_at"], iteration)
