"""A history's points as an array, remembered between requests (app/views/histories.py):
always the array a conversion of the whole history gives, and only the points appended
since converted when a history grew."""

from __future__ import annotations

import numpy as np
import pytest

from app.views import histories
from engine.core.history import LossHistory


@pytest.fixture(autouse=True)
def fresh():
    histories.forget()
    yield
    histories.forget()


@pytest.fixture
def converted(monkeypatch) -> list[int]:
    """How many points each conversion was given."""
    sizes: list[int] = []
    convert = histories.convert

    def spy(history):
        sizes.append(len(history))
        return convert(history)

    monkeypatch.setattr(histories, "convert", spy)
    return sizes


def whole(history: list) -> np.ndarray:
    return np.array(history, dtype=float).reshape(-1, 2)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def test_a_grown_history_converts_only_its_new_points(converted):
    h = LossHistory()
    h.extend(0, np.linspace(1.0, 0.5, 30))
    first = h.as_list()
    assert same(histories.rows_of(first), whole(first))
    h.extend(30, [0.49, 0.48, 0.47])
    grown = h.as_list()
    assert grown[0] is first[0]  # the engine's points are shared, not copied
    assert same(histories.rows_of(grown), whole(grown))
    assert converted == [30, 3]
    assert same(histories.rows_of(grown), whole(grown))  # the same again: nothing converted
    assert converted == [30, 3]


def test_a_thinned_history_is_converted_whole(converted):
    h = LossHistory()
    h.extend(0, np.linspace(2.0, 1.0, 40))
    before = h.as_list()
    histories.rows_of(before)
    thinned = before[::2]  # its first point is the same object, the rest are not in place
    assert same(histories.rows_of(thinned), whole(thinned))
    assert converted == [40, 20]


def test_a_list_grown_in_place_is_not_mistaken_for_the_one_it_was():
    points = [[0, 1.0], [1, 0.9]]
    histories.rows_of(points)
    points.append([2, 0.8])
    assert same(histories.rows_of(points), whole(points))
    points[1] = [1, 0.25]  # another point in its place: not the one converted
    assert same(histories.rows_of(points), whole(points))


def test_equal_points_that_are_other_objects_are_converted_again(converted):
    a = [[0, 0.5], [1, 0.25]]
    b = [list(p) for p in a] + [[2, 0.125]]
    histories.rows_of(a)
    assert same(histories.rows_of(b), whole(b))
    assert converted == [2, 3]


def test_missing_and_non_finite_values_come_as_nan():
    rows = histories.rows_of([[0, 1.5], [1, None], [2, float("inf")]])
    assert rows[0].tolist() == [0.0, 1.5]
    assert np.isnan(rows[1, 1]) and np.isinf(rows[2, 1])
    assert histories.rows_of([]).shape == (0, 2)


def test_the_array_handed_out_cannot_be_changed_by_its_reader():
    rows = histories.rows_of([[0, 1.0], [1, 2.0]])
    with pytest.raises(ValueError):
        rows[0, 1] = 5.0


def test_a_long_history_whose_last_point_is_copied_with_each_read(converted):
    """Past 999 iterations the history keeps every second (fourth …) iteration, and its
    latest iteration's point comes last, kept or not: a later history has all points but
    that one."""
    h = LossHistory()
    h.extend(0, np.linspace(1.0, 0.1, 1201))  # iterations 0 … 1200: stride 2
    h.extend(1201, [0.09])  # 1201 is not kept: it is the history's `last`
    before = h.as_list()
    assert before[-1][0] == 1201 and h.stride == 2
    histories.rows_of(before)
    h.extend(1202, [0.08, 0.07, 0.06])  # 1202 and 1204 kept, 1204 also the last
    after = h.as_list()
    assert same(histories.rows_of(after), whole(after))
    assert converted == [len(before), 2]  # 1202 and 1204 only


def test_kept_runs_are_converted_without_being_remembered(converted):
    from app.views import curves

    ghost = [[0, 1.0], [5, 0.5]]
    curves.finite(ghost, remember=False)
    curves.finite([*ghost, [10, 0.25]])  # the same points and one more: nothing kept
    assert converted == [2, 3]
