"""An independent oracle for practice checks: one iteration of a network worked out from
the article's equations with plain NumPy written here (not the engine's passes, not the
checker's code), and the number a learner gets under each common mistake.

`Oracle(net)` reads only the network's inputs: its parameters, samples, conventions, the
iteration's batch and the optimiser's state before the update. `values(ask)` gives
{"right": x, mistake name: x, …} for one asked value, for every mistake that applies."""

from __future__ import annotations

import numpy as np

MU, BETA1, BETA2, EPS, SLOPE = 0.9, 0.9, 0.999, 1e-8, 0.01


def f(name, z):
    if name == "sigmoid":
        return 1 / (1 + np.exp(np.minimum(-z, 700)))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, SLOPE * z)
    if name == "linear":
        return z * 1.0
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # softmax
    return e / e.sum(axis=-1, keepdims=True)


def df(name, z):
    """f′ written in z alone."""
    if name == "sigmoid":
        s = 1 / (1 + np.exp(np.minimum(-z, 700)))
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    if name == "relu":
        return np.where(z > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, SLOPE)
    return np.ones_like(z)


def loss_of(loss, yhat, y, z):
    n = y.shape[-1]
    if loss == "mse":
        return 0.5 * ((yhat - y) ** 2).sum(-1)
    if loss == "sse":
        return ((yhat - y) ** 2).sum(-1)
    if loss == "mse_mean":
        return ((yhat - y) ** 2).sum(-1) / n
    if loss == "bce":  # from the logits: log(1 + e^z) − y z, exact where ŷ rounds to 0 or 1
        return (np.logaddexp(0, z) - y * z).sum(-1)
    top = z.max(-1, keepdims=True)  # cce: −Σ y (z − log Σ e^z)
    return -(y * (z - top - np.log(np.exp(z - top).sum(-1, keepdims=True)))).sum(-1)


def factor(loss, n):
    """c in ∂ℓ/∂ŷ = c (ŷ − y) for the squared errors."""
    return {"mse": 1.0, "sse": 2.0, "mse_mean": 2.0 / n}[loss]


class Oracle:
    def __init__(self, net):
        spec = net.spec
        self.spec, self.L = spec, net.depth
        self.acts, self.loss = list(spec.activations), spec.loss
        self.eta, self.opt = spec.learning_rate, spec.optimizer
        self.W = [w.copy() for w in net.weights]
        self.has_b = [spec.has_bias(l) for l in range(1, self.L + 1)]
        self.trains_b = [spec.trains_bias(l) for l in range(1, self.L + 1)]
        self.B = [b.copy() if h else np.zeros_like(b) for b, h in zip(net.biases, self.has_b)]
        it = net.iteration
        self.batch = net.schedule.batch(it) if net.phase in ("idle", "updated") else net.trace.batch
        self.x, self.y = net.a0[self.batch], net.targets[self.batch]
        self.mean = spec.reduction == "mean"
        self.reg, self.lam = spec.regularization, spec.regularization_rate
        self.state = net.optimizer_state
        self.run()

    # ---- the right iteration ---------------------------------------------------------
    def run(self):
        L, acts = self.L, self.acts
        self.A, self.Z = [self.x], [None]
        for l in range(1, L + 1):
            z = self.A[l - 1] @ self.W[l - 1].T + self.B[l - 1]
            self.Z.append(z)
            self.A.append(f(acts[l - 1], z))
        yhat, y = self.A[L], self.y
        self.ell = loss_of(self.loss, yhat, y, self.Z[L])
        if self.loss in ("mse", "sse", "mse_mean"):
            self.dl = factor(self.loss, y.shape[1]) * (yhat - y)
        elif self.loss == "bce":  # ŷ kept 1e-15 from 0 and 1, as the engine's loss does
            p = np.clip(yhat, 1e-15, 1 - 1e-15)
            self.dl = (p - y) / (p * (1 - p))
        else:
            self.dl = -y / np.maximum(yhat, 1e-15)
        self.D, self.GA, self.FP = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
        self.GW, self.GB, self.PEN = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
        for l in range(L, 0, -1):
            self.FP[l] = df(acts[l - 1], self.Z[l])
            if l == L:
                self.GA[l] = self.dl
                simple = (acts[-1], self.loss) in (("sigmoid", "bce"), ("softmax", "cce"))
                self.D[l] = yhat - y if simple else self.dl * self.FP[l]
            else:
                self.GA[l] = self.D[l + 1] @ self.W[l]
                self.D[l] = self.GA[l] * self.FP[l]
            s = 1 / len(self.x) if self.mean else 1.0
            pen = {"l2": self.lam * self.W[l - 1], "l1": self.lam * np.sign(self.W[l - 1])}
            self.PEN[l] = pen.get(self.reg, np.zeros_like(self.W[l - 1]))
            self.GW[l] = s * self.D[l].T @ self.A[l - 1] + self.PEN[l]
            self.GB[l] = s * self.D[l].sum(0)

    # ---- each value and its mistakes ------------------------------------------------
    def values(self, q, l, j, r, k=None) -> dict:
        """j, k from 1; r the sample's row in the batch."""
        return getattr(self, "v_" + q)(l, j - 1, r, None if k is None else k - 1)

    def v_z(self, l, j, r, k):
        W, A, b = self.W[l - 1], self.A[l - 1][r], self.B[l - 1][j]
        z = float(W[j] @ A + b)
        out = {"right": z}
        if self.acts[l - 1] == "softmax":
            out["a_for_z"] = float(self.A[l][r, j])
        else:
            out["a_for_z"] = float(f(self.acts[l - 1], np.array(z)))
        if l >= 2:
            out["z_for_a"] = float(W[j] @ self.Z[l - 1][r] + b)
        if self.has_b[l - 1]:
            out["off_by_bias"] = z - b
        n_out, n_in = W.shape
        if n_in <= n_out and j < n_in:
            out["swapped_indices"] = float(sum(W[kk, j] * A[kk] for kk in range(n_in)) + b)
        return out

    def v_a(self, l, j, r, k):
        z = float(self.Z[l][r, j])
        out = {"right": float(self.A[l][r, j]), "z_for_a": z}
        if self.has_b[l - 1] and self.acts[l - 1] != "softmax":
            out["off_by_bias"] = float(f(self.acts[l - 1], np.array(z - self.B[l - 1][j])))
        return out

    def v_loss(self, l, j, r, k):
        right = float(self.ell[r])
        out = {"right": right}
        if self.loss in ("mse", "sse", "mse_mean"):
            out["half"] = right * (2.0 if self.loss == "mse" else 0.5)
            out["z_for_a"] = float(loss_of(self.loss, self.Z[l][r], self.y[r], None))
        return out

    def v_dloss_doutput(self, l, j, r, k):
        right = float(self.dl[r, j])
        out = {"right": right, "sign": -right}
        if self.loss in ("mse", "sse", "mse_mean"):
            out["half"] = right * (2.0 if self.loss == "mse" else 0.5)
            c = factor(self.loss, self.y.shape[1])
            out["z_for_a"] = c * float(self.Z[l][r, j] - self.y[r, j])
        return out

    def at_a(self, l, j, r):
        """f′ at a, and the a-form of f′ with z in it (sigmoid a(1 − a), tanh 1 − a²)."""
        name, z, a = self.acts[l - 1], float(self.Z[l][r, j]), float(self.A[l][r, j])
        forms = {"sigmoid": z * (1 - z), "tanh": 1 - z * z}
        return float(df(name, np.array(a))), forms.get(name)

    def v_fprime(self, l, j, r, k):
        at_a, on_z = self.at_a(l, j, r)
        out = {"right": float(self.FP[l][r, j]), "fprime_at_a": at_a}
        if on_z is not None:
            out["derivative_on_z"] = on_z
        return out

    def v_delta(self, l, j, r, k):
        right = float(self.D[l][r, j])
        out = {"right": right}
        simple = (self.acts[-1], self.loss) in (("sigmoid", "bce"), ("softmax", "cce"))
        if l == self.L and simple:
            out["sign"] = -right
            if self.acts[-1] == "sigmoid":
                out["extra_fprime"] = right * float(self.FP[l][r, j])
            return out
        g, fp = float(self.GA[l][r, j]), float(self.FP[l][r, j])
        at_a, on_z = self.at_a(l, j, r)
        out["forgot_fprime"] = g
        out["fprime_at_a"] = g * at_a
        if on_z is not None:
            out["derivative_on_z"] = g * on_z
        if l == self.L:
            out["sign"] = -right
            if self.loss in ("mse", "sse", "mse_mean"):
                out["half"] = right * (2.0 if self.loss == "mse" else 0.5)
                c = factor(self.loss, self.y.shape[1])
                out["z_for_a"] = c * float(self.Z[l][r, j] - self.y[r, j]) * fp
            return out
        moved = self.W[l] - self.eta * self.GW[l + 1]
        out["updated_weight"] = float(self.D[l + 1][r] @ moved[:, j]) * fp
        n_next, n_here = self.W[l].shape
        if n_next <= n_here and j < n_next:
            out["swapped_indices"] = float(self.W[l][j, :n_next] @ self.D[l + 1][r]) * fp
        return out

    def batch_mistakes(self, terms, rest, r):
        m = len(terms)
        if m < 2:
            return {}
        other = terms.sum() if self.mean else terms.sum() / m
        return {"batch_reduction": float(other + rest), "one_sample": float(terms[r] + rest)}

    def v_grad_w(self, l, j, r, k):
        right = float(self.GW[l][j, k])
        pen = float(self.PEN[l][j, k]) if self.reg != "none" else 0.0
        s = 1 / len(self.x) if self.mean else 1.0
        d, a = self.D[l], self.A[l - 1]
        out = {"right": right, **self.batch_mistakes(d[:, j] * a[:, k], pen, r)}
        if l >= 2:
            out["z_for_a"] = float(s * d[:, j] @ self.Z[l - 1][:, k] + pen)
        if k < d.shape[1] and j < a.shape[1]:
            out["swapped_indices"] = float(s * d[:, k] @ a[:, j] + pen)
        if self.reg != "none":
            out["forgot_penalty"] = right - pen
        return out

    def v_grad_b(self, l, j, r, k):
        return {"right": float(self.GB[l][j]), **self.batch_mistakes(self.D[l][:, j], 0.0, r)}

    # ---- the update -----------------------------------------------------------------
    def slot(self, l, k):
        return (l - 1) if k is not None else (self.L + l - 1)

    def rule(self, l, j, k):
        """(θ before, g, the subtracted step without η, m, v, m̂, v̂) by the optimiser."""
        i, e = self.slot(l, k), (j, k) if k is not None else (j,)
        theta = float((self.W[l - 1] if k is not None else self.B[l - 1])[e])
        g = float((self.GW[l] if k is not None else self.GB[l])[e])
        if self.opt == "sgd":
            return theta, g, g, None, None, None, None
        if self.opt == "momentum":
            v = MU * float(self.state["v"][i][e]) + g
            return theta, g, v, None, v, None, None
        t = self.state["t"] + 1
        m = BETA1 * float(self.state["m"][i][e]) + (1 - BETA1) * g
        v = BETA2 * float(self.state["v"][i][e]) + (1 - BETA2) * g * g
        mh, vh = m / (1 - BETA1**t), v / (1 - BETA2**t)
        return theta, g, mh / (np.sqrt(vh) + EPS), m, v, mh, vh

    def v_w(self, l, j, r, k):
        if k is None and not self.trains_b[l - 1]:
            theta, g = float(self.B[l - 1][j]), float(self.GB[l][j])
            return {"right": theta, "updated_frozen": theta - self.eta * g}
        theta, g, step, m, v, _, _ = self.rule(l, j, k)
        out = {
            "right": theta - self.eta * step,
            "forgot_lr": theta - step,
            "added_gradient": theta + self.eta * step,
        }
        if self.opt != "sgd":
            out["ignored_optimizer"] = theta - self.eta * g
        if self.opt == "adam":
            out["forgot_bias_correction"] = theta - self.eta * m / (np.sqrt(v) + EPS)
        if (
            k is not None
            and self.opt == "sgd"
            and k < self.W[l - 1].shape[0]
            and j < self.W[l - 1].shape[1]
        ):
            out["swapped_indices"] = theta - self.eta * float(self.GW[l][k, j])
        return out

    v_b = v_w

    def v_v(self, l, j, r, k):
        return {"right": self.rule(l, j, k)[4]}

    def v_m(self, l, j, r, k):
        return {"right": self.rule(l, j, k)[3]}

    def v_m_hat(self, l, j, r, k):
        _, _, _, m, _, mh, _ = self.rule(l, j, k)
        return {"right": mh, "forgot_bias_correction": m}

    def v_v_hat(self, l, j, r, k):
        _, _, _, _, v, _, vh = self.rule(l, j, k)
        return {"right": vh, "forgot_bias_correction": v}
