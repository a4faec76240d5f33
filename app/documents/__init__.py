"""Documents made from a network: its JSON export, the trace as CSV, and the worked example."""
