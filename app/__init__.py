"""backprop-lab's web layer: a JSON API and htmx pages over one service."""
