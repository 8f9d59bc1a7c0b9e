"""Record classes without the ``dataclasses`` module.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis`` and
``tokenize``): about 10 ms of start-up, a tenth of a piped ``brief search`` over
a folder. The model and search classes need a small part of it, which
:func:`record` gives: fields with defaults (:func:`field` for a factory, or to
leave a field out of the repr or of comparisons), ``__init__``, ``__repr__``,
value equality, frozen instances (hashable when compared by value), ``__slots__``
and pickling (a second process sends results back). :func:`replace` copies a
record with some fields changed.

Example:
    >>> @record(frozen=True)
    ... class Point:
    ...     x: int
    ...     y: int = 0
    >>> Point(1) == Point(1, 0), Point(2, y=3)
    (True, Point(x=2, y=3))
"""

from __future__ import annotations

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class Field:
    """How one field behaves (see :func:`field`)."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default=_MISSING, default_factory=_MISSING, repr: bool = True, compare: bool = True) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(*, default=_MISSING, default_factory=_MISSING, repr: bool = True, compare: bool = True):  # noqa: A002
    """A field with a default, a default factory, or left out of the repr or comparisons."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("give a default or a default_factory, not both")
    return Field(default, default_factory, repr, compare)


def fields(obj) -> tuple[Field, ...]:
    """The fields of a record class or instance, in order."""
    return obj.__record_fields__


def replace(obj, **changes):
    """A copy of the record ``obj`` with ``changes`` applied."""
    kw = {f.name: getattr(obj, f.name) for f in obj.__record_fields__}
    unknown = set(changes) - set(kw)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field(s) {', '.join(sorted(unknown))}")
    kw.update(changes)
    return type(obj)(**kw)


def record(cls=None, /, *, frozen: bool = False, eq: bool = True, slots: bool = False):
    """Make ``cls`` a record class from its annotated attributes (as ``@dataclass`` would)."""

    def wrap(c):
        return _process(c, frozen, eq, slots)

    return wrap if cls is None else wrap(cls)


def _process(cls, frozen: bool, eq: bool, slots: bool):
    flds: list[Field] = []
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        flds.append(f)
    names = [f.name for f in flds]

    globs: dict = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    for f in flds:
        value = f.name
        if f.default is not _MISSING:
            globs["_d_" + f.name] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not _MISSING:
            globs["_f_" + f.name] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_f_{f.name}() if {f.name} is _MISSING else {f.name}"
        else:
            if len(params) != len([p for p in params if "=" not in p]):
                raise TypeError(f"{cls.__name__}: field {f.name!r} without a default follows one with a default")
            params.append(f.name)
        body.append(f"_set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    src = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    ns: dict = {}
    exec(src, globs, ns)  # noqa: S102 - our own generated source, as dataclasses does
    methods: dict = {"__init__": ns["__init__"], "__record_fields__": tuple(flds)}

    shown = [f.name for f in flds if f.repr]

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in shown) + ")"

    methods["__repr__"] = __repr__
    compared = tuple(f.name for f in flds if f.compare)
    if eq:
        def key(self) -> tuple:
            return tuple(getattr(self, n) for n in compared)

        def __eq__(self, other):
            if other.__class__ is not self.__class__:
                return NotImplemented
            return key(self) == key(other)

        methods["__eq__"] = __eq__
        if frozen:
            def __hash__(self) -> int:
                return hash(key(self))

            methods["__hash__"] = __hash__
        else:
            methods["__hash__"] = None
    if frozen:
        def __setattr__(self, name, value):
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self, name):
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        methods["__setattr__"] = __setattr__
        methods["__delattr__"] = __delattr__
    if slots:
        if frozen:  # pickle's default sets slots through __setattr__
            def __getstate__(self) -> tuple:
                return tuple(getattr(self, n) for n in names)

            def __setstate__(self, state: tuple) -> None:
                for n, v in zip(names, state):
                    object.__setattr__(self, n, v)

            methods["__getstate__"] = __getstate__
            methods["__setstate__"] = __setstate__
        d = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
        d.update(methods)
        d["__slots__"] = tuple(names)
        new = type(cls)(cls.__name__, cls.__bases__, d)
        new.__qualname__ = cls.__qualname__
        return new
    for k, v in methods.items():
        setattr(cls, k, v)
    for f in flds:  # class attributes stay as the defaults (as with dataclasses), factories do not
        if isinstance(cls.__dict__.get(f.name), Field):
            if f.default is _MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    return cls
