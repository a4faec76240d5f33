import numpy as np
import pytest

from engine.data.csvdata import parse_csv
from engine.errors import SpecError


def test_default_columns_last_is_target():
    x, y, info = parse_csv("0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == [[0], [1], [1], [0]]
    assert info["header"] is None


def test_header_and_named_columns():
    text = "a,b,c,t\n1,2,3,4\n5,6,7,8\n"
    x, y, info = parse_csv(text, inputs=["c", "a"], targets=["t"])
    assert x.tolist() == [[3, 1], [7, 5]]
    assert y.tolist() == [[4], [8]]
    assert info["header"] == ["a", "b", "c", "t"]


def test_label_column_becomes_one_hot_in_sorted_order():
    x, y, info = parse_csv("x,y,kind\n0,0,dog\n1,1,cat\n2,2,dog\n", label="kind")
    assert info["classes"] == ["cat", "dog"]
    assert y.tolist() == [[0, 1], [1, 0], [0, 1]]
    assert x.shape == (3, 2)


def test_semicolons_and_blank_lines():
    _x, y, _ = parse_csv("1;2;3\n\n4;5;6\n")
    assert np.array_equal(y, [[3], [6]])


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("a,b\n", "no data rows"),
        ("1,2,3\n1,2\n", "line 2: expected 3 values, found 2"),
        ("1,2,3\n4,x,6\n", "line 2, column 1"),
        ("1,2,3\n4,nan,6\n", "finite"),
        ("1,2,3\n4,1e9,6\n", "finite"),
    ],
)
def test_bad_csv_names_line_and_problem(text, fragment):
    with pytest.raises(SpecError) as err:
        parse_csv(text)
    assert fragment in str(err.value)


def test_too_many_rows_and_unknown_column():
    with pytest.raises(SpecError, match="at most 1000"):
        parse_csv("\n".join("1,2" for _ in range(1001)))
    with pytest.raises(SpecError, match="no column named 'z'"):
        parse_csv("a,b\n1,2\n", targets=["z"])
    with pytest.raises(SpecError, match="column 5 does not exist"):
        parse_csv("1,2\n3,4\n", targets=[5])


@pytest.mark.parametrize("column", ["²", "--5", 1.5, None, True, [0]])
def test_odd_column_names_are_clear_errors(column):
    with pytest.raises(SpecError):
        parse_csv("a,b\n1,2\n", targets=[column])
