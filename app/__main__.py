"""`python -m app`: the same as the `backprop-lab` command."""

from .cli import main

main()
