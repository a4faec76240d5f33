"""A hint that names the control to change when a classifier in the plane stays below 90 %
training accuracy: the input features that make its dataset easy (as TensorFlow
Playground's users learn them), or a hidden layer for a network without one."""

from __future__ import annotations

from ..core.features import FEATURES
from ..core.measures import classifies

LOW_ACCURACY = 0.9
PATIENCE = 200  # iterations before the hint speaks
# dataset → (the features that make it easy, why)
EASY = {
    "circle": (("x1^2", "x2^2"), "a circle is easy with them: x₁² + x₂² is the radius squared"),
    "xor": (("x1*x2",), "XOR is x₁ + x₂ − 2x₁x₂, so with it a straight line separates the classes"),
    "spiral": (("sin(x1)", "sin(x2)"), "they wind as the spiral does"),
}


def features_hint(net) -> dict | None:
    """{"kind": "features", "message"} or None (see the module docstring)."""
    spec, last = net.spec, net.accuracy_history.last
    if spec.features is None or not classifies(spec.loss) or last is None:
        return None
    if net.iteration < PATIENCE or last[1] >= LOW_ACCURACY:
        return None
    name = str((spec.dataset or {}).get("name") or "")
    easy, why = EASY.get(name, ((), ""))
    missing = [f for f in easy if f not in spec.features]
    said = f"Training accuracy is {last[1]:.0%} after {net.iteration} iterations"
    if missing:
        words = " and ".join(FEATURES[f].text for f in missing)
        return {
            "kind": "features",
            "message": f"{said}: switch {words} on (Network card, Input features): {why}.",
        }
    if spec.depth == 1:
        return {
            "kind": "features",
            "message": f"{said}: without a hidden layer the boundary is a straight line; "
            "add one (+ layer under the diagram).",
        }
    return None
