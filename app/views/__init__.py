"""View-models for the templates: layout, colour and formatting of values the network
already holds (nothing is recomputed here)."""
