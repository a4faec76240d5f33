"""Reading a network without changing it: gradient check, diagnostics and hints, the
output over the input space and the plots' data."""
