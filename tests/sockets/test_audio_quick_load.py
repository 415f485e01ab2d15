"""The audio chunk's quick load (no marshmallow) accepts only what the schema accepts,
and gives the same data; anything else goes through the schema and its errors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from app.schemas.socket import AudioChunkSchema

SCHEMA = AudioChunkSchema()
values = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-2, max_value=2**31 + 2)
    | st.floats(allow_nan=False)
    | st.text(max_size=70)
    | st.sampled_from(["rep", "prospect", "x" * 64, "x" * 65, "", "a\x00b", "a\u202eb"])
    | st.binary(max_size=16)
    | st.builds(bytearray, st.binary(max_size=4))
    | st.lists(st.integers(), max_size=2)
)
KEYS = ["call_id", "source", "seq", "data", "extra"]
VALID = {"call_id": "call-1", "source": "prospect", "seq": 3, "data": b"\x00\x01"}
one_field_off = st.builds(
    lambda key, value, drop: {k: v for k, v in {**VALID, key: value}.items() if k != drop},
    st.sampled_from(KEYS),
    values,
    st.sampled_from([None, *KEYS]),
)
payloads = st.dictionaries(st.sampled_from(KEYS), values, max_size=5) | values | one_field_off


@settings(max_examples=600, deadline=None)
@given(payload=payloads)
def test_quick_load_agrees_with_the_schema(payload):
    quick = AudioChunkSchema.quick_load(payload)
    if quick is not None:
        assert quick == SCHEMA.load(payload)


@settings(max_examples=200, deadline=None)
@given(
    call_id=st.text(min_size=1, max_size=64),
    seq=st.integers(min_value=0, max_value=2**31),
    data=st.binary(max_size=64),
    source=st.sampled_from([None, "rep", "prospect"]),
)
def test_a_plainly_valid_chunk_takes_the_quick_path(call_id, seq, data, source):
    payload = {"call_id": call_id, "seq": seq, "data": data}
    if source is not None:
        payload["source"] = source
    try:
        expected = SCHEMA.load(payload)
    except ValidationError:  # a call_id with control characters
        assert AudioChunkSchema.quick_load(payload) is None
        return
    assert AudioChunkSchema.quick_load(payload) == expected
    assert list(AudioChunkSchema.quick_load(payload) or {}) == list(expected)
