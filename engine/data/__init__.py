"""Where samples come from: named datasets, CSV text, explicit rows, and the presets."""
