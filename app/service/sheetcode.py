"""Short codes for exercise sheets: a class's architecture and conventions packed into a
whole number and written in Crockford's base 32 (digits and capitals without I, L, O and
U; read case-insensitively, with I and L read as 1 and O as 0; hyphens and spaces
ignored), with a 10-bit check so that a mistyped code is refused rather than opening
another network.

A class token (`class_token`) carries the class alone; a sheet's code (`sheet_code`) also
carries its student's seed (SEED_BITS), so a sheet's network is made again from its code
alone, with no stored state. `ClassSpec` is what both carry; each field's choices are
listed here (a number field: two significant digits, see RATES)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

from engine.core.activations import ACTIVATIONS
from engine.core.losses import LOSSES
from engine.core.optimisers import OPTIMISERS

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READ_AS = {"I": "1", "L": "1", "O": "0"}
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # as typed, or copied from a sheet
CHECK_BITS, SEED_BITS = 10, 20
GROUP = 5  # characters between hyphens as printed
MAX_CODE_CHARS = 64  # longer input is refused before it is read
MIN_NEURONS, MAX_NEURONS = 1, 4  # per layer of an exercise network: worked by hand
MIN_LAYERS, MAX_LAYERS = 2, 4  # input layer included
MAX_SAMPLES = 4
# η and λ: m × 10^−e for m 1..99 and e 0..5 (two significant digits, 0.00001 to 99)
RATES = sorted({round(m / 10**e, 7) for m in range(1, 100) for e in range(6)})
CHOICES: dict[str, tuple] = {
    "loss": tuple(LOSSES),
    "optimizer": tuple(OPTIMISERS),
    "bias": ("trained", "frozen", "none"),
    "reduction": ("mean", "sum"),
    "shuffle": (True, False),
    "regularization": ("none", "l1", "l2"),
    "samples": tuple(range(1, MAX_SAMPLES + 1)),
    "batch_size": (None, *range(1, MAX_SAMPLES + 1)),  # None: the whole batch
    "learning_rate": tuple(RATES),
    "regularization_rate": (0.0, *RATES),
}
ACTS = tuple(ACTIVATIONS)
SIZES = tuple(range(MIN_NEURONS, MAX_NEURONS + 1))


class BadCode(ValueError):
    """A code that is not a sheet's (or a class's): the message says what is wrong."""


@dataclass(frozen=True)
class ClassSpec:
    """A class's network: its architecture and conventions, and how many samples each
    student gets (their values are drawn per student)."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str = "mse"
    learning_rate: float = 0.5
    optimizer: str = "sgd"
    bias: str = "trained"
    reduction: str = "mean"
    samples: int = 1
    batch_size: int | None = None
    shuffle: bool = True
    regularization: str = "none"
    regularization_rate: float = 0.0


# ---- packing -----------------------------------------------------------------------
def digits_of(spec: ClassSpec) -> list[tuple[int, int]]:
    """(digit, radix) pairs: the mixed-radix number that is `spec`."""
    n = len(spec.layers)
    out = [(n - MIN_LAYERS, MAX_LAYERS - MIN_LAYERS + 1)]
    out += [(SIZES.index(spec.layers[i]) if i < n else 0, len(SIZES)) for i in range(MAX_LAYERS)]
    acts = spec.activations
    out += [(ACTS.index(acts[i]) if i < n - 1 else 0, len(ACTS)) for i in range(MAX_LAYERS - 1)]
    for f in fields(ClassSpec)[2:]:
        out.append((CHOICES[f.name].index(getattr(spec, f.name)), len(CHOICES[f.name])))
    return out


def pack(spec: ClassSpec) -> int:
    value = 0
    for digit, radix in digits_of(spec):
        value = value * radix + digit
    return value


def unpack(value: int) -> ClassSpec:
    """The ClassSpec `pack` made `value` from; BadCode when no spec packs to it."""
    radices = [radix for _, radix in digits_of(ClassSpec((1, 1), ("linear",)))]
    digits, rest = [], value
    for radix in reversed(radices):
        rest, digit = divmod(rest, radix)
        digits.append(digit)
    if rest:
        raise BadCode("it is too long for a sheet's code")
    digits.reverse()
    n = digits[0] + MIN_LAYERS
    layers = tuple(SIZES[d] for d in digits[1 : 1 + n])
    acts = tuple(ACTS[d] for d in digits[1 + MAX_LAYERS : MAX_LAYERS + n])
    named = zip(fields(ClassSpec)[2:], digits[2 * MAX_LAYERS :], strict=True)
    spec = ClassSpec(layers, acts, **{f.name: CHOICES[f.name][d] for f, d in named})
    if pack(spec) != value:  # the digits of absent layers must be 0
        raise BadCode("it does not describe a class")
    return spec


# ---- writing and reading -----------------------------------------------------------
def check_of(payload: int, kind: bytes) -> int:
    """The check of a class's token (kind b"class") or a sheet's code (b"sheet"): one is
    never read as the other."""
    digest = hashlib.sha256(kind + payload.to_bytes(16, "big")).digest()
    return int.from_bytes(digest[:2], "big") % (1 << CHECK_BITS)


def write(payload: int, kind: bytes) -> str:
    value = (payload << CHECK_BITS) | check_of(payload, kind)
    chars = ""
    while value or not chars:
        value, d = divmod(value, 32)
        chars = ALPHABET[d] + chars
    return "-".join(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))


def read(code: str, kind: bytes) -> int:
    """The payload of a code as `write` wrote it; BadCode naming what is wrong."""
    if len(code) > MAX_CODE_CHARS:
        raise BadCode(f"it is {len(code)} characters long; a code has at most {MAX_CODE_CHARS}")
    text = "".join(c for c in "".join(code.split()) if c not in HYPHENS).upper()
    if not text:
        raise BadCode("it is empty")
    value = 0
    for c in text:
        c = READ_AS.get(c, c)
        if c not in ALPHABET:
            raise BadCode(f"{c!r} is not one of a code's characters (digits and letters but U)")
        value = value * 32 + ALPHABET.index(c)
    payload = value >> CHECK_BITS
    if check_of(payload, kind) != value % (1 << CHECK_BITS):
        raise BadCode("its check does not match: a character is mistyped")
    return payload


def class_token(spec: ClassSpec) -> str:
    return write(pack(spec), b"class")


def sheet_code(spec: ClassSpec, seed: int) -> str:
    return write((pack(spec) << SEED_BITS) | seed, b"sheet")


def read_class(token: str) -> ClassSpec:
    return unpack(read(token, b"class"))


def read_sheet(code: str) -> tuple[ClassSpec, int]:
    """(the class, the student's seed) a sheet's code carries."""
    payload = read(code, b"sheet")
    return unpack(payload >> SEED_BITS), payload % (1 << SEED_BITS)


def student_seed(class_code: str, number: int) -> int:
    """Student `number`'s seed in the class named `class_code` (case and surrounding spaces
    ignored): the first four bytes of SHA-256 of the name, plus the number, modulo
    2^SEED_BITS, so that the students of one class never share a seed."""
    name = " ".join(class_code.split()).casefold().encode("utf-8")
    base = int.from_bytes(hashlib.sha256(b"backprop-lab class " + name).digest()[:4], "big")
    return (base + number) % (1 << SEED_BITS)
