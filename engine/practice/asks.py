"""What a learner can be asked, and when.

An iteration is a row of actions: forward layer 1 … L, backward layer L … 1, update. A
quantity belongs to the action that computes it (the loss and ∂ℓ/∂ŷ to the forward pass
of layer L). It can be asked while that action is the next one (the value is then worked
out on a copy of the network, which the next click would reveal), or once it has run in
the iteration in progress. Anything further on is refused (NotAskable, 409), naming what
to do first. Neurons j and inputs k count from 1, as in w^l_{jk}; samples from 0.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..core.network import Network
from ..errors import EngineError, SpecError
from ..notation import sub, sup

# quantity: (stage, per sample, needs the input k, words)
QUANTITIES: dict[str, tuple[str, bool, bool, str]] = {
    "z": ("forward", True, False, "the weighted input z"),
    "a": ("forward", True, False, "the activation a"),
    "loss": ("loss", True, False, "the sample's loss ℓ (output layer)"),
    "dloss_doutput": ("loss", True, False, "∂ℓ/∂ŷ (output layer)"),
    "fprime": ("backward", True, False, "f′(z)"),
    "delta": ("backward", True, False, "δ = ∂ℓ/∂z"),
    "grad_w": ("backward", False, True, "∂L/∂w (give the input k)"),
    "grad_b": ("backward", False, False, "∂L/∂b"),
    "w": ("update", False, True, "the weight after the update (give the input k)"),
    "b": ("update", False, False, "the bias after the update"),
    "v": ("update", False, False, "the optimiser's v after the update (momentum, adam)"),
    "m": ("update", False, False, "Adam's first moment m after the update"),
    "m_hat": ("update", False, False, "Adam's bias-corrected m̂"),
    "v_hat": ("update", False, False, "Adam's bias-corrected v̂"),
}
BIAS_ONLY = ("grad_b", "b")
OPTIMISER_STATE = {
    "v": ("momentum", "adam"),
    "m": ("adam",),
    "m_hat": ("adam",),
    "v_hat": ("adam",),
}


class NotAskable(EngineError):
    """The quantity comes later in the iteration (409); `allowed` is what to do next."""

    def __init__(self, message: str, allowed: str):
        super().__init__(message)
        self.allowed = allowed


@dataclass(frozen=True)
class Ask:
    quantity: str
    layer: int
    neuron: int  # j, from 1
    sample: int | None = None  # from 0; per-sample quantities: the batch's first if None
    input: int | None = None  # k, from 1: weights and their gradients and moments

    @property
    def weight(self) -> bool:
        return self.input is not None

    def symbol(self, name: str | None = None) -> str:
        """w²₁₂, b²₁, z²₁ … of this ask (`name` in place of the quantity's letter)."""
        l, j = self.layer, self.neuron
        if name is None:
            name = "w" if self.weight else "b"
        return f"{name}{sup(l)}{sub(j)}" + (sub(self.input or 0) if name == "w" else "")


def position(stage: str, layer: int, depth: int) -> int:
    """The place in the iteration's row of actions (1 = forward layer 1 … 2L + 1 = update)."""
    if stage == "forward":
        return layer
    if stage == "loss":
        return depth
    if stage == "backward":
        return 2 * depth + 1 - layer
    return 2 * depth + 1


def done(net: Network) -> int:
    """How many actions of the current iteration have run (0 before Forward)."""
    if net.phase == "forward":
        return net.layer
    if net.phase == "backward":
        return 2 * net.depth + 1 - net.layer
    return 0


def validate(net: Network, ask: Ask) -> None:
    """SpecError (422) naming the field for a quantity, layer, neuron, input or sample that
    names nothing, or a quantity this network does not have."""
    spec, L = net.spec, net.depth
    if ask.quantity not in QUANTITIES:
        raise SpecError(
            "quantity", f"unknown {ask.quantity!r}; choose one of {', '.join(QUANTITIES)}"
        )
    stage, _, needs_input, _ = QUANTITIES[ask.quantity]
    if not 1 <= ask.layer <= L:
        raise SpecError("layer", f"is {ask.layer}; layers with values run from 1 to {L}")
    if not 1 <= ask.neuron <= spec.layers[ask.layer]:
        raise SpecError(
            "neuron",
            f"is {ask.neuron}; layer {ask.layer} has neurons 1 to {spec.layers[ask.layer]}",
        )
    n_in = spec.layers[ask.layer - 1]
    if needs_input and ask.input is None:
        raise SpecError("input", f"{ask.quantity} is a weight's: give input k, 1 to {n_in}")
    if ask.input is not None and ask.quantity in BIAS_ONLY:
        raise SpecError("input", f"{ask.quantity} is a bias's: leave input out (or ask for w)")
    if ask.input is not None and not 1 <= ask.input <= n_in:
        raise SpecError("input", f"is {ask.input}; layer {ask.layer - 1} has neurons 1 to {n_in}")
    if ask.sample is not None and not 0 <= ask.sample < len(net.inputs):
        raise SpecError("sample", f"is {ask.sample + 1}; samples run from 1 to {len(net.inputs)}")
    validate_kind(net, ask, stage)


def validate_kind(net: Network, ask: Ask, stage: str) -> None:
    spec, l, q = net.spec, ask.layer, ask.quantity
    if stage == "loss" and l != net.depth:
        raise SpecError("layer", f"{q} belongs to the output layer, {net.depth}")
    if q == "fprime" and spec.activations[l - 1] == "softmax":
        raise SpecError("quantity", "softmax has no elementwise f′(z); ask for delta instead")
    bias_q = q in ("grad_b", "b") or (q in OPTIMISER_STATE and not ask.weight)
    if bias_q and not spec.has_bias(l):
        raise SpecError("quantity", f"layer {l} has no bias term, so no {q} of a bias")
    if q in OPTIMISER_STATE:
        if spec.optimizer not in OPTIMISER_STATE[q]:
            raise SpecError(
                "quantity",
                f"{q} belongs to {' and '.join(OPTIMISER_STATE[q])}; "
                f"this network updates with {spec.optimizer}",
            )
        if not ask.weight and not spec.trains_bias(l):
            raise SpecError("quantity", f"b{sup(l)} is frozen: it has no optimiser state")


def source(net: Network, ask: Ask, twins: dict | None = None) -> Network:
    """The network whose trace holds the asked value: `net` itself when its action has run
    in this iteration, else a copy after the next action (`net` is never changed)."""
    stage = QUANTITIES[ask.quantity][0]
    at, now = position(stage, ask.layer, net.depth), done(net)
    if at <= now:
        return net
    if at == now + 1 and twins is not None and id(net) in twins:
        return twins[id(net)]
    if at == now + 1:
        twin = copy.deepcopy(net)
        if twin.next_action == "forward":
            twin.forward()
        elif twin.next_action == "backward":
            twin.backward()
        else:
            twin.update()
        if twins is not None:
            twins[id(net)] = twin
        return twin
    raise NotAskable(first(net, ask, at - now), net.next_action)


def action_at(p: int, depth: int) -> str:
    """The action at place p of the iteration's row (see position)."""
    return "Forward" if p <= depth else ("Backward" if p <= 2 * depth else "Update")


def first(net: Network, ask: Ask, steps: int) -> str:
    """What to do before `ask` can be asked, `steps` actions ahead: 'Press Forward ×2
    first'."""
    now, L = done(net), net.depth
    before = [action_at(p, L) for p in range(now + 1, now + steps)]
    presses = ", then ".join(
        f"{a} ×{before.count(a)}" if before.count(a) > 1 else a for a in dict.fromkeys(before)
    )
    words = QUANTITIES[ask.quantity][3]
    return (
        f"{ask.quantity} ({words}) of layer {ask.layer} comes later: {net.where()}. "
        f"Press {presses} first; then it is what the next click computes"
    )
