"""The JSON depth limit is exact at its edge, for text and bytes, whatever strings hold."""

from __future__ import annotations

import pytest

from app.errors import JsonTooDeep
from app.request_body import MAX_JSON_DEPTH, parse_json


@pytest.mark.parametrize("kind", [str, bytes])
def test_the_limit_itself_passes_and_one_more_level_is_refused(kind):
    def nested(depth):
        text = '{"a": ' * (depth - 1) + "[]" + "}" * (depth - 1)
        return text if kind is str else text.encode()

    assert parse_json(nested(MAX_JSON_DEPTH)) is not None
    with pytest.raises(JsonTooDeep):
        parse_json(nested(MAX_JSON_DEPTH + 1))


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = '["' + "[{" * 100 + '", {"k": "]}"}]'
    assert parse_json(text) == ["[{" * 100, {"k": "]}"}]
