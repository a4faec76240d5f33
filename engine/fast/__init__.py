"""The training fast path: whole iterations in place, its kernels and the time budget."""
