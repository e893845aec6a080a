"""A builder for the API's record filter grammar, mirroring the Rust core's.

>>> from exto360 import Filter
>>> f = (Filter.field("serial_number").number().gt(1000) & Filter.field("email_id").string().contains("john")) | Filter.field("status").eq("Approved")
>>> str(f)
'serial_number:NUMBER:gt:1000:and:email_id:STRING:cn:john:or:status:eq:Approved'

``&`` binds tighter than ``|``, as ``:and:`` does in the grammar. Typed fields only have the
operators their type allows. Rendering and every check (values with ``:``, bad dates, ...)
happen in the core; a mistake raises :class:`~exto360.InvalidInputError` from ``render()`` or
from the list call.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

__all__ = ["Filter", "Field", "NumberField", "StringField", "DateField", "PrimitiveField"]

Number = Union[int, float, str]
DateLike = Union[_dt.date, str]


def _chain(op: str, spec: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The parts of ``spec`` under ``op``: ``a & b & c`` stays one flat ``and`` of three, however
    long the chain (nesting is kept only where ``and`` and ``or`` alternate)."""
    parts = spec.get(op) if len(spec) == 1 else None
    return list(parts) if isinstance(parts, list) else [spec]


class Filter:
    """A filter expression. Combine with ``&`` (and) and ``|`` (or)."""

    __slots__ = ("_spec",)

    def __init__(self, spec: Dict[str, Any]) -> None:
        self._spec = spec

    @staticmethod
    def field(name: str) -> "Field":
        """Starts a condition on ``name`` (a custom field, or ``status``, ``createdAt``, ...)."""
        return Field(name, None)

    @staticmethod
    def raw(text: str) -> str:
        """A filter string in the API's grammar, passed through unchanged."""
        return text

    def __and__(self, other: "Filter") -> "Filter":
        return Filter({"and": _chain("and", self._spec) + _chain("and", _spec(other))})

    def __or__(self, other: "Filter") -> "Filter":
        return Filter({"or": _chain("or", self._spec) + _chain("or", _spec(other))})

    def and_(self, other: "Filter") -> "Filter":
        return self & other

    def or_(self, other: "Filter") -> "Filter":
        return self | other

    def render(self) -> str:
        """The filter in the API's grammar. Raises InvalidInputError when it cannot be sent."""
        from ._client import _render_filter

        return _render_filter(self._spec)

    def to_json(self) -> Dict[str, Any]:
        """The language-neutral form (as the conformance suite writes filters)."""
        return self._spec

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Filter({self._spec!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and other._spec == self._spec

    def __hash__(self) -> int:
        return hash(repr(self._spec))


def _spec(f: Any) -> Dict[str, Any]:
    if not isinstance(f, Filter):
        raise TypeError(f"can only combine Filter objects, got {type(f).__name__}")
    return f._spec


def _date(v: DateLike) -> str:
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


class Field:
    """A field before its type is chosen; its own operators send no type token."""

    __slots__ = ("_name", "_type")

    def __init__(self, name: str, type_: Optional[str]) -> None:
        self._name = name
        self._type = type_

    def _c(self, op: str, value: Any = None) -> Filter:
        spec: Dict[str, Any] = {"field": self._name, "op": op}
        if self._type:
            spec["type"] = self._type
        if value is not None:
            spec["value"] = value
        return Filter(spec)

    def number(self) -> "NumberField":
        return NumberField(self._name, "NUMBER")

    def string(self) -> "StringField":
        return StringField(self._name, "STRING")

    def date(self) -> "DateField":
        return DateField(self._name, "DATE")

    def primitive(self) -> "PrimitiveField":
        return PrimitiveField(self._name, "PRIMITIVE")

    def eq(self, value: Any) -> Filter:
        return self._c("eq", value)

    def ne(self, value: Any) -> Filter:
        return self._c("ne", value)

    def gt(self, value: Any) -> Filter:
        return self._c("gt", value)

    def ge(self, value: Any) -> Filter:
        return self._c("ge", value)

    def lt(self, value: Any) -> Filter:
        return self._c("lt", value)

    def le(self, value: Any) -> Filter:
        return self._c("le", value)

    def contains(self, value: str) -> Filter:
        return self._c("contains", value)

    def not_contains(self, value: str) -> Filter:
        return self._c("not_contains", value)

    def starts_with(self, value: str) -> Filter:
        return self._c("starts_with", value)

    def ends_with(self, value: str) -> Filter:
        return self._c("ends_with", value)

    def is_in(self, values: Iterable[Any]) -> Filter:
        return self._c("in", list(values))

    def is_blank(self) -> Filter:
        return self._c("is_blank")

    def is_not_blank(self) -> Filter:
        return self._c("is_not_blank")


_OPS = {"eq", "ne", "gt", "ge", "lt", "le", "contains", "not_contains", "starts_with", "ends_with", "is_in"}


class _Typed:
    __slots__ = ("_f",)

    def __init__(self, name: str, type_: str) -> None:
        self._f = Field(name, type_)

    if not TYPE_CHECKING:
        # An operator this type does not have (a type checker flags it statically) still builds,
        # and the core refuses it with InvalidInputError when the filter is rendered or used.
        def __getattr__(self, name: str) -> Any:
            if name not in _OPS:
                raise AttributeError(name)
            op = "in" if name == "is_in" else name
            return lambda value: self._f._c(op, list(value) if op == "in" else value)

    def is_blank(self) -> Filter:
        """``eq:null``: the field is blank."""
        return self._f.is_blank()

    def is_not_blank(self) -> Filter:
        """``ne:null``: the field is not blank."""
        return self._f.is_not_blank()


class NumberField(_Typed):
    """Comparisons, ``is_in``, blank checks. Numbers may be given as decimal strings."""

    def eq(self, v: Number) -> Filter:
        return self._f.eq(v)

    def ne(self, v: Number) -> Filter:
        return self._f.ne(v)

    def gt(self, v: Number) -> Filter:
        return self._f.gt(v)

    def ge(self, v: Number) -> Filter:
        return self._f.ge(v)

    def lt(self, v: Number) -> Filter:
        return self._f.lt(v)

    def le(self, v: Number) -> Filter:
        return self._f.le(v)

    def is_in(self, values: Iterable[Number]) -> Filter:
        return self._f.is_in(values)


class StringField(_Typed):
    """Equality, ``contains``/``not_contains``/``starts_with``/``ends_with``, ``is_in``."""

    def eq(self, v: str) -> Filter:
        return self._f.eq(v)

    def ne(self, v: str) -> Filter:
        return self._f.ne(v)

    def contains(self, v: str) -> Filter:
        return self._f.contains(v)

    def not_contains(self, v: str) -> Filter:
        return self._f.not_contains(v)

    def starts_with(self, v: str) -> Filter:
        return self._f.starts_with(v)

    def ends_with(self, v: str) -> Filter:
        return self._f.ends_with(v)

    def is_in(self, values: Iterable[str]) -> Filter:
        return self._f.is_in(values)


class DateField(_Typed):
    """Day comparisons (``datetime.date`` or ``"yyyy-MM-dd"``); the list call needs
    ``local_time_zone``."""

    def eq(self, v: DateLike) -> Filter:
        return self._f.eq(_date(v))

    def ne(self, v: DateLike) -> Filter:
        return self._f.ne(_date(v))

    def gt(self, v: DateLike) -> Filter:
        return self._f.gt(_date(v))

    def ge(self, v: DateLike) -> Filter:
        return self._f.ge(_date(v))

    def lt(self, v: DateLike) -> Filter:
        return self._f.lt(_date(v))

    def le(self, v: DateLike) -> Filter:
        return self._f.le(_date(v))


class PrimitiveField(_Typed):
    """Booleans and other primitives: ``eq``, ``ne``."""

    def eq(self, v: Union[bool, int, str]) -> Filter:
        return self._f.eq(v)

    def ne(self, v: Union[bool, int, str]) -> Filter:
        return self._f.ne(v)


def filter_arg(f: Any) -> Any:
    """A list call's ``filter`` argument for the core: a :class:`Filter`'s JSON form, or a raw
    string (or ``None``) as is."""
    if f is None or isinstance(f, str):
        return f
    if isinstance(f, Filter):
        return f.to_json()
    raise TypeError(f"filter must be a Filter or a string, got {type(f).__name__}")
