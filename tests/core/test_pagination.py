import pytest

from vigil.core.pagination import decode_cursor, encode_cursor, page_request
from vigil.errors import InvalidInput


def test_cursor_round_trips() -> None:
    assert decode_cursor(encode_cursor("01a2-x")) == "01a2-x"


@pytest.mark.parametrize("limit", [0, 501, -1])
def test_limits_outside_one_to_five_hundred_are_refused(limit: int) -> None:
    with pytest.raises(InvalidInput):
        page_request(None, limit)
