"""What the HTML forms' fields have in common: a number read as typed, and the test split
as a percentage within the engine's limit. A FieldError names the field and says what to
type instead."""

from __future__ import annotations

from app.errors import Invalid
from engine import limits


class FieldError(Invalid):
    """A form field's value refused before it reaches the service (422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message, field=field)


def number(form, name: str, kind: type = float, label: str = "", default: str = ""):
    """form[name] as a `kind` (float or int); FieldError when it is not one."""
    text = str(form.get(name, default)).strip()
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise FieldError(name, f"{label or name} must be {what}; got '{text}'.") from None


def test_split(form) -> float:
    """The share of samples held out, from the percentage typed into form["test_split"]:
    0 (no test set) to the engine's MAX_TEST_SPLIT."""
    percent = number(form, "test_split", float, "Test split", "0")
    top = 100 * limits.MAX_TEST_SPLIT
    if not 0 <= percent <= top:
        raise FieldError(
            "test_split", f"Test split is {percent:g} %; give 0 (no test set) to {top:g} %."
        )
    return percent / 100
