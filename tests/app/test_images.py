import struct
import zlib

import numpy as np

from app.views.images import classes, diverging, png


def decode(data: bytes) -> np.ndarray:
    """A minimal independent PNG reader for 8-bit RGB, filter 0."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h = size
    raw = zlib.decompress(idat)
    rows = [raw[r * (3 * w + 1) + 1 : (r + 1) * (3 * w + 1)] for r in range(h)]
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(h, w, 3)


def test_png_round_trip():
    rgb = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    assert np.array_equal(decode(png(rgb)), rgb)


def test_diverging_ends_and_middle():
    out = diverging(np.array([[0.0, 0.5, 1.0]]), 0.0, 1.0)
    assert out[0, 0].tolist() == [230, 159, 0]
    assert out[0, 1].tolist() == [247, 247, 247]
    assert out[0, 2].tolist() == [0, 114, 178]


def test_classes_pick_the_winner_and_fade_when_unsure():
    sure = classes(np.array([[[1.0, 0.0, 0.0]]]))[0, 0]
    unsure = classes(np.array([[[1 / 3, 1 / 3, 1 / 3]]]))[0, 0]
    assert sure.tolist() == [0, 114, 178]
    assert abs(int(unsure[0]) - 247) < abs(int(sure[0]) - 247)
