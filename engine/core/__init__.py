"""The step machine and what it is made of: the spec, the network, the passes and the trace,
the activations, losses, optimisers and initialisers, the loss history."""
