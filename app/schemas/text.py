"""The one validation of free text, used by every text field of the REST and socket
schemas (docs/api.md, "Text fields").

Accepted: well-formed Unicode. Refused with a ``validation_error`` naming the field:
lone surrogates (``"\\ud800"``: not encodable, so never storable), NUL and the other C0
and C1 control characters (tab, line feed and carriage return only in multi-line
fields), the bidirectional embedding, override and isolate characters (U+202A-U+202E,
U+2066-U+2069: they make text display differently from what it is), and the
noncharacters U+FFFE / U+FFFF.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_MULTI_LINE = re.compile(f"[{_ALWAYS}]")
_SINGLE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
MESSAGE = "Must be well-formed text without control or bidirectional-override characters."


def is_clean(value: str, multiline: bool = False) -> bool:
    """Whether ``value`` passes the text rules (for keys and values outside a field)."""
    return (_MULTI_LINE if multiline else _SINGLE_LINE).search(value) is None


class Text(fields.Str):
    """A string field with the text rules; ``multiline`` also allows tab and newlines."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if not is_clean(text, self.multiline):
            raise ValidationError(MESSAGE)
        return text
