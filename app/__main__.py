"""`python -m app`: the same as the `backprop-lab` command."""

from app.cli import main

main()
