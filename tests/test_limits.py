"""Input limits: sizes in words, settings from the environment, and the errors naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalgraph.errors import LoadError
from goalgraph.limits import check_size, exceeded, format_size, limit, parse_size


def test_sizes_are_read_with_units_and_decimal_commas() -> None:
    """Sizes take B, KB, MB, GB, TB (1024-based), with or without B, point or comma."""
    assert parse_size("2GB") == 2 * 1024**3
    assert parse_size("500 mb") == 500 * 1024**2
    assert parse_size("1,5K") == 1536
    assert parse_size("1048576") == 1024**2


@pytest.mark.parametrize("text", ["", "lots", "2 GiB", "-5MB", "1e9", "GB"])
def test_text_that_is_no_size_is_refused(text: str) -> None:
    """Anything but a number with an optional unit is a ValueError."""
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)


@given(st.integers(min_value=0, max_value=1024**5))
def test_a_formatted_size_reads_back_within_its_rounding(amount: int) -> None:
    """format_size rounds to one decimal, so reading it back is within 5 % (or exact below 1 KB)."""
    back = parse_size(format_size(amount).replace(" ", ""))
    assert abs(back - amount) <= max(amount * 0.05, 0)


def test_limits_default_and_follow_their_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A limit is its default until its variable says otherwise, read when it is checked."""
    assert limit("input_size").value == 1024**3
    monkeypatch.setenv("GOALGRAPH_MAX_INPUT_SIZE", "2GB")
    assert limit("input_size").value == 2 * 1024**3
    assert limit("unzipped_size").value == 2 * 1024**3
    monkeypatch.setenv("GOALGRAPH_MAX_DEPTH", "7")
    assert limit("depth").value == 7


@pytest.mark.parametrize("value", ["many", "0", "-3"])
def test_a_bad_setting_is_an_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """A variable that holds no positive amount is a LoadError naming it and its value."""
    monkeypatch.setenv("GOALGRAPH_MAX_CELLS", value)
    with pytest.raises(LoadError, match=f"GOALGRAPH_MAX_CELLS={value}"):
        limit("cells")


def test_an_unknown_limit_is_a_key_error() -> None:
    """Asking for a limit that does not exist is a programming error."""
    with pytest.raises(KeyError):
        limit("patience")


def test_the_error_names_file_amount_limit_and_how_to_raise_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The size error names the file, its size, the limit, the option and the variable."""
    monkeypatch.setenv("GOALGRAPH_LANG", "en")
    text = str(exceeded("input_size", path="big.ttl", amount=5 * 1024**3))
    for part in ("big.ttl", "5 GB", "1 GB", "--max-input-size", "GOALGRAPH_MAX_INPUT_SIZE"):
        assert part in text
    depth = str(exceeded("depth", path="deep.yaml", amount=65, line=4))
    assert depth.startswith("deep.yaml, line 4:")
    assert "GOALGRAPH_MAX_DEPTH" in depth and "--max" not in depth


def test_a_sparse_5_gb_file_is_refused_by_its_size_alone(tmp_path: Path) -> None:
    """check_size reads only metadata: a sparse 5 GB file is refused at once."""
    huge = tmp_path / "huge.ttl"
    with huge.open("wb") as stream:
        stream.truncate(5 * 1024**3)
    with pytest.raises(LoadError, match=r"huge\.ttl"):
        check_size(huge)
    small = tmp_path / "small.ttl"
    small.write_bytes(b"x" * 10)
    assert check_size(small) == 10
