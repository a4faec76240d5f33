"""The equation panel: the article's equations for one neuron, edge or update, with the
numbers of a network's read model (app/views/model.py) substituted, as LaTeX and as
display-mode MathML (latex2mathml).

Nothing is recomputed here: every number shown is the network's own (trace, parameters,
data, the optimiser's state and the update's details). A value that is still null has not been
computed: its equation is shown without numbers, or not at all. Indices follow the article:
layer 0 is the input, w^l_{jk} joins neuron k of layer l-1 to neuron j of layer l; j and k
are 1-based, ``sample`` is a 0-based row. After an update the trace belongs to the
parameters before it: the read model (app/views/model.py) says which parameters it used.

    mathml.py    LaTeX → MathML with fixes for Chromium; Equation, Chain, render
    notation.py  numbers and symbols (num, operand, sym …), Writer: a network's numbers
    conventions.py  what the conventions add: the penalty, ∂ℓ/∂x, a sample not in the batch
    neuron.py    neuron_equations: z, a, the loss, f'(z), δ, ∂L/∂b
    edge.py      edge_equations: w^l_{jk} and ∂L/∂w^l_{jk}
    update.py    update_equations: the optimiser's rule (sgd, momentum, adam)
"""

from .conventions import input_gradient, not_in_batch, penalty_equations
from .edge import edge_chains, edge_equations, weight_gradient
from .mathml import Chain, Equation, chain, render, to_mathml
from .neuron import (
    activation,
    backward_equations,
    batch_loss,
    dloss,
    neuron_chains,
    neuron_equations,
    sample_loss,
    weighted_input,
)
from .notation import Writer, num, operand, samples_text, signed, sym
from .update import update_chains, update_equations

# The public functions, and the pieces app/documents/worked_example.py builds its document from.
__all__ = [
    "Chain",
    "Equation",
    "Writer",
    "activation",
    "backward_equations",
    "batch_loss",
    "chain",
    "dloss",
    "edge_chains",
    "edge_equations",
    "input_gradient",
    "neuron_chains",
    "neuron_equations",
    "not_in_batch",
    "num",
    "operand",
    "penalty_equations",
    "render",
    "sample_loss",
    "samples_text",
    "signed",
    "sym",
    "to_mathml",
    "update_chains",
    "update_equations",
    "weight_gradient",
    "weighted_input",
]
