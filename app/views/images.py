"""Small raster images for the training view (decision boundary, neuron thumbnails):
values mapped to colours and encoded as PNG with the standard library."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

# Colour-blind-safe diverging ends (orange for 0 / negative, blue for 1 / positive), white
# in the middle; class colours for softmax outputs (Okabe–Ito).
LOW = np.array([230, 159, 0], dtype=np.float64)
MID = np.array([247, 247, 247], dtype=np.float64)
HIGH = np.array([0, 114, 178], dtype=np.float64)
CLASS_COLOURS = np.array(
    [
        [0, 114, 178],
        [230, 159, 0],
        [0, 158, 115],
        [204, 121, 167],
        [86, 180, 233],
        [213, 94, 0],
        [240, 228, 66],
        [0, 0, 0],
        [120, 120, 120],
        [153, 79, 0],
        [0, 73, 114],
        [128, 200, 170],
        [170, 90, 140],
        [200, 200, 80],
        [90, 60, 160],
        [60, 60, 60],
    ],
    dtype=np.float64,
)


def png(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 array as PNG bytes."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def data_uri(rgb: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png(rgb)).decode()


def diverging(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """(h, w) values → (h, w, 3) uint8, low → orange, middle → white, high → blue."""
    t = np.clip((values - low) / (high - low if high > low else 1.0), 0.0, 1.0)[..., None]
    below = MID + (LOW - MID) * (1 - 2 * t)
    above = MID + (HIGH - MID) * (2 * t - 1)
    return np.where(t < 0.5, below, above).round().astype(np.uint8)


def classes(probabilities: np.ndarray) -> np.ndarray:
    """(h, w, k) class probabilities → the winning class's colour, paler where unsure."""
    k = probabilities.shape[-1]
    colour = CLASS_COLOURS[probabilities.argmax(axis=-1) % len(CLASS_COLOURS)]
    confidence = (probabilities.max(axis=-1, keepdims=True) - 1 / k) / (1 - 1 / k)
    return (MID + (colour - MID) * (0.25 + 0.75 * confidence)).round().astype(np.uint8)
