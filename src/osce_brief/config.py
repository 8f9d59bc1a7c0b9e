"""Defaults for command-line options from a TOML file.

The file is ``$XDG_CONFIG_HOME/brief/config.toml`` (``~/.config/brief/config.toml``
when ``XDG_CONFIG_HOME`` is unset); ``brief --config PATH`` or ``BRIEF_CONFIG=PATH``
names another. Keys are the long option names without dashes; top-level keys are
defaults for every command that has the option, a ``[command]`` table for one
command, and a flag given on the command line always wins::

    width = 100              # outline, show, summary, keywords, search, hedges

    [show]
    pager = false

    [summary]
    sentences = 5
    method = "lexrank"

    [search]
    unit = "paragraph"
    context = 1

A key or value that is not allowed is one error naming the file, the key and what
is allowed (exit 2). The file is read with :mod:`tomllib` only when it exists, so a
run without one costs one ``stat``. Typer-free: the fast ``search`` entry point
reads it too.
"""

from __future__ import annotations

import os

from .errors import UsageError

_FORMATS = ("text", "markdown", "html")
_METHODS = ("default", "lead", "textrank", "lexrank")
_UNITS = ("sentence", "paragraph")
_THEMES = ("dark", "light")
_ENGINES = ("local", "dask")

#: Kinds of values: ("bool",), ("int", min), ("float", min, max), ("str",), ("choice", values).
_BOOL = ("bool",)
_INPUT = {
    "encoding": ("encoding", ("str",)),
    "max-bytes": ("max_bytes", ("int", 1)),
    "format": ("fmt", ("choice", _FORMATS)),
    "width": ("width", ("int", 20)),
    "json": ("json_out", _BOOL),
    "raw-text": ("raw_text", _BOOL),
}

#: command -> {config key (the long option) -> (parameter name, kind)}. Every
#: option of every command is here except per-run ones (--section, --save,
#: --export, --help); ``tests/test_face.py`` checks this table against the app.
SCHEMA: dict[str, dict[str, tuple[str, tuple]]] = {
    "outline": {**_INPUT, "depth": ("depth", ("int", 1)), "hedges": ("hedges_col", _BOOL)},
    "show": {**_INPUT, "pager": ("pager", _BOOL)},
    "summary": {
        **_INPUT,
        "sentences": ("sentences", ("int", 1)),
        "ratio": ("ratio", ("float", 0.0, 1.0)),
        "words": ("words", ("int", 1)),
        "by-section": ("by_section", _BOOL),
        "reported": ("reported", _BOOL),
        "method": ("method", ("choice", _METHODS)),
    },
    "keywords": {**_INPUT, "number": ("n", ("int", 1))},
    "search": {
        **_INPUT,
        "unit": ("unit", ("choice", _UNITS)),
        "context": ("context", ("int", 0)),
        "case-sensitive": ("case_sensitive", _BOOL),
        "ignore-case": ("ignore_case", _BOOL),
        "word": ("word", _BOOL),
        "regex": ("regex", _BOOL),
        "exact": ("exact", _BOOL),
        "any": ("any_term", _BOOL),
        "count": ("count", _BOOL),
        "files-with-matches": ("files_with_matches", _BOOL),
        "max": ("max_passages", ("int", 1)),
        "rank": ("rank", _BOOL),
    },
    "hedges": {**_INPUT, "reported": ("reported", _BOOL)},
    "read": {k: v for k, v in _INPUT.items() if k in ("encoding", "max-bytes", "format")}
    | {"theme": ("theme", ("choice", _THEMES))},
    "digest": {
        **{k: v for k, v in _INPUT.items() if k not in ("width", "raw-text")},
        "out": ("out", ("str",)),
        "jobs": ("jobs", ("int", 1)),
        "engine": ("engine", ("choice", _ENGINES)),
        "scheduler": ("scheduler", ("str",)),
        "text-field": ("text_field", ("str",)),
        "sentences": ("sentences", ("int", 1)),
        "keywords": ("keywords_n", ("int", 1)),
        "progress": ("progress", _BOOL),
    },
}

#: Options that exclude or replace each other (parameter names): when the command
#: line gives one, the file's values for the others are dropped.
EXCLUSIVE = (
    ("case_sensitive", "ignore_case"),
    ("count", "files_with_matches"),
    ("sentences", "ratio", "words"),
)


def default_path() -> str:
    """``$XDG_CONFIG_HOME/brief/config.toml`` (``~/.config/...`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "brief", "config.toml")


def config_path(given: str | None = None) -> tuple[str, bool] | None:
    """The config file to read and whether it was asked for explicitly.

    ``given`` (``--config``) wins over ``BRIEF_CONFIG``, which wins over the
    default path; None when there is no file to read (the default path missing).
    ``BRIEF_CONFIG=""`` (or ``--config ""``) turns the file off.
    """
    if given is None:
        given = os.environ.get("BRIEF_CONFIG")
    if given is not None:
        return (given, True) if given else None
    path = default_path()
    return (path, False) if os.path.isfile(path) else None


def _describe(kind: tuple) -> str:
    if kind[0] == "bool":
        return "true or false"
    if kind[0] == "int":
        return f"an integer >= {kind[1]}"
    if kind[0] == "float":
        return f"a number from {kind[1]} to {kind[2]}"
    if kind[0] == "choice":
        return "one of " + ", ".join(f'"{c}"' for c in kind[1])
    return "a string"


def _valid(value: object, kind: tuple) -> bool:
    tag = kind[0]
    if tag == "bool":
        return isinstance(value, bool)
    if tag == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= kind[1]
    if tag == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and kind[1] <= value <= kind[2]
    if tag == "choice":
        return value in kind[1]
    return isinstance(value, str)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value) if isinstance(value, (int, float)) else f"a {type(value).__name__}"


def parse_config(data: dict, path: str) -> dict[str, dict]:
    """Check a decoded config and turn it into ``{command: {parameter: value}}``.

    Raises:
        UsageError: an unknown key or a value that is not allowed.

    Example:
        >>> parse_config({"width": 90, "summary": {"sentences": 5}}, "c.toml")["summary"]
        {'width': 90, 'sentences': 5}
        >>> parse_config({"summary": {"sentences": 0}}, "c.toml")
        Traceback (most recent call last):
        ...
        osce_brief.errors.UsageError: c.toml: summary.sentences must be an integer >= 1, not 0
    """
    out: dict[str, dict] = {cmd: {} for cmd in SCHEMA}
    top_keys = sorted({k for opts in SCHEMA.values() for k in opts})
    tables = {k: v for k, v in data.items() if k in SCHEMA}
    for key, value in data.items():
        if key in SCHEMA:
            if not isinstance(value, dict):
                raise UsageError(f"{path}: {key} must be a table ([{key}]), not {_show(value)}",
                                 f"write [{key}] on its own line, then its options")
            continue
        if key not in top_keys:
            raise UsageError(f"{path}: unknown key {key!r}",
                             f"allowed: {', '.join(top_keys)}, or a table [{'], ['.join(SCHEMA)}]")
        kinds = {SCHEMA[cmd][key][1] for cmd in SCHEMA if key in SCHEMA[cmd]}
        kind = next(iter(kinds))
        if not _valid(value, kind):
            raise UsageError(f"{path}: {key} must be {_describe(kind)}, not {_show(value)}")
        for cmd, opts in SCHEMA.items():
            if key in opts:
                out[cmd][opts[key][0]] = value
    for cmd, table in tables.items():
        for key, value in table.items():
            if key not in SCHEMA[cmd]:
                raise UsageError(f"{path}: unknown key {cmd}.{key}",
                                 f"the options of `brief {cmd}` allowed here: {', '.join(sorted(SCHEMA[cmd]))}")
            name, kind = SCHEMA[cmd][key]
            if not _valid(value, kind):
                raise UsageError(f"{path}: {cmd}.{key} must be {_describe(kind)}, not {_show(value)}")
            out[cmd][name] = value
    return out


def load_config(path: str, explicit: bool = True) -> dict[str, dict]:
    """Read and check the config file at ``path`` (see :func:`parse_config`).

    Raises:
        UsageError: the file cannot be read (only when ``explicit``: a default
            file that vanished is no file), is not TOML, or holds a bad key or value.
    """
    import tomllib

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        if not explicit:
            return {cmd: {} for cmd in SCHEMA}
        raise UsageError(f"config file {path} not found", "give an existing file to --config or BRIEF_CONFIG") from None
    except OSError as e:
        raise UsageError(f"cannot read config file {path}: {(e.strerror or str(e)).lower()}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: not valid TOML: {e}", "see https://toml.io") from None
    return parse_config(data, path)


def without_overridden(defaults: dict, given: set[str]) -> dict:
    """``defaults`` minus the values that options given on the command line
    (``given``, parameter names) replace: the option itself and its
    :data:`EXCLUSIVE` partners.

    Example:
        >>> without_overridden({"ratio": 0.1, "method": "lead"}, {"sentences"})
        {'method': 'lead'}
    """
    drop = set(given)
    for group in EXCLUSIVE:
        if drop.intersection(group):
            drop.update(group)
    return {k: v for k, v in defaults.items() if k not in drop}
