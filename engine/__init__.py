"""backprop-lab's engine: pure NumPy backpropagation, one layer at a time.

It never imports the web layer. Start with ``create_network`` (a preset and/or explicit
fields), then call ``forward``, ``backward``, ``update``, ``step`` or ``train`` on it.
"""

from .core.network import Network
from .core.optimisers import OPTIMISERS
from .core.runs import forget_run, keep_run
from .data.presets import PRESETS, preset_summaries
from .edits import edit_network
from .errors import DivergenceError, EngineError, OrderError, SpecError
from .factory import create_network
from .fast.stopping import Stop, check_stop
from .fast.training import TrainResult
from .inspect.diagnostics import current_records, network_hints
from .inspect.gradcheck import gradcheck
from .inspect.plot_data import plot_arrays, training_view
from .inspect.preview import after_update
from .serialization import from_record, to_record, trace_to_dict

__all__ = [
    "OPTIMISERS",
    "PRESETS",
    "DivergenceError",
    "EngineError",
    "Network",
    "OrderError",
    "SpecError",
    "Stop",
    "TrainResult",
    "after_update",
    "check_stop",
    "create_network",
    "current_records",
    "edit_network",
    "forget_run",
    "from_record",
    "gradcheck",
    "keep_run",
    "network_hints",
    "plot_arrays",
    "preset_summaries",
    "to_record",
    "trace_to_dict",
    "training_view",
]
