"""How one setting is declared and parsed: :func:`setting` puts a :class:`Spec` in a dataclass
field's metadata, and :func:`parse` turns the environment's text into the field's value.

The environment variable is the field name in capitals; the parser follows the default's
type (bool: a flag, int/float: a number, tuple: a comma-separated list, str: text, or one
of ``choices`` when given). A bad value is reported and the default is used, so the caller
can list every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, dataclass, field
from typing import Any, TypeVar, cast

T = TypeVar("T")
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Spec:
    """What a setting means (``doc``) and what it accepts."""

    doc: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    why_maximum: str = ""
    shown_default: str = ""  # the default as the docs describe it, when not the literal value
    fallback_env: str = ""  # read when the variable itself is absent


class Invalid(ValueError):
    """A value the setting does not accept; the message names the variable."""


def setting(
    default: T,
    doc: str,
    *,
    choices: tuple[str, ...] = (),
    minimum: float | None = None,
    maximum: float | None = None,
    why_maximum: str = "",
    shown_default: str = "",
    fallback_env: str = "",
) -> T:
    """A dataclass field with its default and :class:`Spec` (typed as the value for mypy)."""
    if minimum is None and isinstance(default, int | float) and not isinstance(default, bool):
        minimum = 0  # numbers are never negative unless a setting says otherwise
    spec = Spec(doc, choices, minimum, maximum, why_maximum, shown_default, fallback_env)
    return cast(T, field(default=default, metadata={"spec": spec}))


def spec_of(item: Field[Any]) -> Spec:
    return cast(Spec, item.metadata["spec"])


def env_name(item: Field[Any]) -> str:
    return item.name.upper()


def default_of(item: Field[Any], env: Mapping[str, str]) -> Any:
    """The value kept when the variable is bad: the fallback variable's, if set."""
    spec = spec_of(item)
    fallback = env.get(spec.fallback_env) if spec.fallback_env else None
    return item.default if fallback is None else fallback.strip()


def parse(item: Field[Any], env: Mapping[str, str]) -> Any:
    """The value of ``item`` read from ``env``; raises :class:`Invalid` for a bad one."""
    spec, name, default = spec_of(item), env_name(item), item.default
    raw = env.get(name)
    if raw is None and spec.fallback_env:
        raw = env.get(spec.fallback_env)
    if raw is None:
        return default
    if isinstance(default, bool):
        return _flag(name, raw, default)
    if isinstance(default, int | float):
        return _number(name, raw, default)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    value = raw.strip()
    if spec.choices and value not in spec.choices:
        raise Invalid(f"{name} must be one of {', '.join(spec.choices)}, got {value!r}")
    return value


def _flag(name: str, raw: str, default: bool) -> bool:
    value = raw.strip().lower()
    if value == "":
        return default
    if value not in TRUE + FALSE:
        raise Invalid(f"{name} must be true or false, got {raw!r}")
    return value in TRUE


def _number(name: str, raw: str, default: float) -> float:
    if raw.strip() == "":
        return default
    try:
        return type(default)(raw.strip())
    except ValueError:
        raise Invalid(f"{name} must be a number, got {raw!r}") from None


def bound_problem(item: Field[Any], value: Any) -> str | None:
    """Why ``value`` is out of the setting's bounds, or None."""
    spec, name = spec_of(item), env_name(item)
    if spec.minimum is not None and value < spec.minimum:
        return f"{name} must be at least {spec.minimum}, got {value}"
    if spec.maximum is not None and value > spec.maximum:
        why = f" ({spec.why_maximum})" if spec.why_maximum else ""
        if spec.minimum is not None and spec.maximum - spec.minimum == 1:
            return f"{name} must be {spec.minimum} or {spec.maximum}{why}"
        return f"{name} must be at most {spec.maximum}{why}"
    return None
