"""Engine benchmark: `python -m bench.engine`.

Prints, measured in the same run:
  (a) train throughput on seed-xor against a reference loop in the article's style;
  (b) the same on a 2-8-8-1 tanh/tanh/sigmoid net on 200 circle samples;
  (c) the time of one fully traced iteration (Network.step) on seed-xor, against one
      reference-loop iteration.
  (d) (b) with the momentum and adam optimisers (no target: their rules cost more
      elementwise work per iteration than the article's update; shown for reference).
  (e) seed-xor with batch size 1 (online, shuffled every epoch) against the reference loop
      doing the same updates on the same samples in the same order;
  (f) seed-xor with frozen biases against the reference loop that leaves b alone.
Targets: (a), (b), (e) and (f) at least 1.5× the reference; (c) under 100 µs.
Each figure is the best of several interleaved repeats, so background load only makes a
figure slower and hits the engine and the reference alike.
"""

from __future__ import annotations

import time

import numpy as np

from engine import create_network
from engine.core.batches import Schedule

REPEATS = 15


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):  # as the article writes it: from Z, not from A
    return sigmoid(x) * (1 - sigmoid(x))


def tanh_derivative(x):
    return 1 - np.tanh(x) ** 2


def reference_train(
    weights, biases, acts, X, y, iterations, eta, schedule=None, train_biases=True, start=0
):
    """The article's loop, generalised to L layers: samples as columns, W @ A + b,
    dZ^L = A^L − y (sigmoid + bce), dZ^l = (W^{l+1})ᵀ dZ^{l+1} ⊙ f'(Z^l) with f' computed
    from Z as the article's sigmoid_derivative(Z1) does, then the update. With a
    `schedule` (engine.core.batches) each iteration takes its mini-batch's columns, the
    epoch's order drawn once per epoch; without `train_biases`, b stays as it is."""
    W = [w.copy() for w in weights]
    b = [v[:, None].copy() for v in biases]
    f = {"sigmoid": sigmoid, "tanh": np.tanh}
    df = {"sigmoid": sigmoid_derivative, "tanh": tanh_derivative}
    Xb, yb, m, order, current = X, y, X.shape[1], None, -1
    for it in range(start, start + iterations):
        if schedule is not None:
            epoch, k = divmod(it, schedule.per_epoch)
            if epoch != current:
                order, current = schedule.epoch_order(epoch), epoch
            cols = order[k * schedule.b : (k + 1) * schedule.b]
            Xb, yb, m = X[:, cols], y[:, cols], len(cols)
        A, Z = [Xb], []
        for l in range(len(W)):
            Z.append(np.dot(W[l], A[-1]) + b[l])
            A.append(f[acts[l]](Z[-1]))
        dZ = A[-1] - yb
        for l in range(len(W) - 1, -1, -1):
            dW = (1 / m) * np.dot(dZ, A[l].T)
            if train_biases:
                db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
            if l > 0:
                dZ = np.dot(W[l].T, dZ) * df[acts[l - 1]](Z[l - 1])
            W[l] -= eta * dW
            if train_biases:
                b[l] -= eta * db
    return W, b


def reference_args(net, iterations: int) -> tuple:
    """reference_train's arguments for the same updates as `net.train(iterations)`."""
    spec = net.spec
    schedule = None
    if spec.batch_size is not None and spec.batch_size < len(net.inputs):
        schedule = Schedule(len(net.inputs), spec.batch_size, spec.shuffle, spec.seed)
    frozen = all(not spec.trains_bias(l) for l in range(1, spec.depth + 1))
    X, y = net.inputs.T.copy(), net.targets.T.copy()
    return (
        net.weights,
        net.biases,
        spec.activations,
        X,
        y,
        iterations,
        spec.learning_rate,
        schedule,
        not frozen,
    )


def best_times(fns, repeats: int = REPEATS) -> list[float]:
    """Best wall time of each function, run in turn (interleaved, so that a change in
    background load hits them alike)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def compare_train(config: dict, iterations: int) -> tuple[float, float]:
    """(engine iterations/s, reference iterations/s) for `iterations` per run."""
    args = reference_args(create_network(config), iterations)
    nets = []

    def reference():
        reference_train(*args)

    def engine_run():  # a fresh network each time, made outside the timing
        nets[-1].train(iterations)

    def make():
        nets.append(create_network(config))

    ref, _, fast = best_times([reference, make, engine_run])
    check_agreement(config, iterations)
    return iterations / fast, iterations / ref


def check_agreement(config: dict, iterations: int) -> None:
    """The two loops must compute the same parameters, or the timing compares nothing."""
    net = create_network(config)
    W, b = reference_train(*reference_args(net, iterations))
    net.train(iterations)
    gap = max(float(np.abs(w1 - w2).max()) for w1, w2 in zip(W, net.weights))
    gap = max(gap, *(float(np.abs(b1[:, 0] - b2).max()) for b1, b2 in zip(b, net.biases)))
    if gap > 1e-9:
        raise SystemExit(f"engine and reference disagree after {iterations} iterations: {gap}")


def compare_optimizer(config: dict, iterations: int) -> tuple[float, float]:
    """(engine iterations/s with config's optimiser, sgd reference iterations/s)."""
    net = create_network(config)
    X, y = net.inputs.T.copy(), net.targets.T.copy()
    nets = [create_network(config) for _ in range(REPEATS)]

    def reference():
        reference_train(
            net.weights, net.biases, net.spec.activations, X, y, iterations, net.spec.learning_rate
        )

    def engine_run():
        nets.pop().train(iterations)

    ref, fast = best_times([reference, engine_run])
    return iterations / fast, iterations / ref


def compare_step(config: dict, count: int = 500) -> tuple[float, float]:
    """(seconds per traced Network.step, seconds per reference-loop iteration)."""
    net = create_network(config)
    X, y = net.inputs.T.copy(), net.targets.T.copy()

    def steps():
        for _ in range(count):
            net.step()

    def reference():
        reference_train(
            net.weights, net.biases, net.spec.activations, X, y, count, net.spec.learning_rate
        )

    traced, ref = best_times([steps, reference])
    return traced / count, ref / count


def main() -> None:
    xor = {"preset": "seed-xor"}
    circle = {
        "preset": "circle-tanh",
        "layers": [2, 8, 8, 1],
        "dataset": {"name": "circle", "samples": 200, "noise": 0.05, "seed": 1},
    }
    print(f"engine benchmark (best of {REPEATS} runs each)")
    fast, ref = compare_train(xor, 2000)
    print(
        f"(a) seed-xor train:        engine {fast:9.0f} it/s   reference {ref:9.0f} it/s"
        f"   ratio {fast / ref:5.2f}x   (target >= 1.5x)"
    )
    fast, ref = compare_train(circle, 500)
    print(
        f"(b) 2-8-8-1 circle(200):   engine {fast:9.0f} it/s   reference {ref:9.0f} it/s"
        f"   ratio {fast / ref:5.2f}x   (target >= 1.5x)"
    )
    traced, ref_it = compare_step(xor)
    print(
        f"(c) seed-xor traced step:  {traced * 1e6:7.1f} us   reference iteration "
        f"{ref_it * 1e6:6.1f} us   ratio {traced / ref_it:5.2f}x   (target < 100 us)"
    )
    for optimizer in ("momentum", "adam"):  # the reference is plain gradient descent
        fast, ref = compare_optimizer({**circle, "optimizer": optimizer}, 500)
        print(
            f"(d) 2-8-8-1 {optimizer:9s}    engine {fast:9.0f} it/s   sgd reference "
            f"{ref:6.0f} it/s   ratio {fast / ref:5.2f}x"
        )
    fast, ref = compare_train({**xor, "batch_size": 1}, 2000)
    print(
        f"(e) seed-xor batch size 1: engine {fast:9.0f} it/s   reference {ref:9.0f} it/s"
        f"   ratio {fast / ref:5.2f}x   (target >= 1.5x)"
    )
    fast, ref = compare_train({**xor, "bias": "frozen"}, 2000)
    print(
        f"(f) seed-xor frozen bias:  engine {fast:9.0f} it/s   reference {ref:9.0f} it/s"
        f"   ratio {fast / ref:5.2f}x   (target >= 1.5x)"
    )


if __name__ == "__main__":
    main()
