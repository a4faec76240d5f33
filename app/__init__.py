"""backprop-lab's web layer: a JSON API and htmx pages over one service."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backprop-lab")  # the installed distribution's, from pyproject.toml
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"
