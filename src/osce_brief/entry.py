"""Console-script entry point: ``brief``.

Every command goes to the Typer app in :mod:`osce_brief.cli`, except one case
that must start as fast as grep: ``brief search --count`` / ``-l`` with plain
(piped) output and only flag options. Typer, Click and Rich cost about 100 ms
to import, more than counting a thousand files takes, so that case is parsed
here with the same meaning as the Typer command and printed by the same
functions (:func:`finish_search`). Anything this parser does not know (an
option with a value, ``--help``, ``--``, stdin, a terminal on stdout) goes to
Typer, which then also gives the usual error messages.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .errors import BriefError, ExitCode, InputError, NoMatch

#: Flag options of ``brief search`` that the fast path understands: name -> field.
_LONG = {
    "--count": "count",
    "--files-with-matches": "files",
    "--case-sensitive": "case_sensitive",
    "--ignore-case": "ignore_case",
    "--word": "word",
    "--regex": "regex",
    "--exact": "exact",
    "--any": "any_term",
    "--json": "json_out",
}
_SHORT = {"c": "count", "l": "files", "s": "case_sensitive", "i": "ignore_case", "e": "regex"}


def parse_fast_search(argv: Sequence[str]) -> tuple[dict[str, bool], list[str]] | None:
    """Flags and positional arguments of ``search ARGS``, or None to use Typer.

    Example:
        >>> parse_fast_search(["-ci", "blair", "corpus/"])
        ({'count': True, 'ignore_case': True}, ['blair', 'corpus/'])
        >>> parse_fast_search(["--max", "3", "blair"]) is None
        True
    """
    flags: dict[str, bool] = {}
    args: list[str] = []
    for tok in argv:
        if tok.startswith("--"):
            name = _LONG.get(tok)
            if name is None:
                return None
            flags[name] = True
        elif tok.startswith("-") and tok != "-":
            for ch in tok[1:]:
                name = _SHORT.get(ch)
                if name is None:
                    return None
                flags[name] = True
        elif tok == "-":
            return None
        else:
            args.append(tok)
    if not args or flags.get("count") == flags.get("files"):
        return None  # nothing to search, or not exactly one of -c / -l: Typer says what is wrong
    if flags.get("case_sensitive") and flags.get("ignore_case"):
        return None
    return flags, args


def no_match_error(result) -> BriefError:
    """The exit-1 error for a search that found nothing (exit 2 when inputs failed)."""
    message, hint = result.no_match_message()
    if result.errors:
        return InputError(message + f" ({len(result.errors)} input(s) could not be read)", hint)
    return NoMatch(message, hint)


def plain_counts(result, show_path: bool | None = None) -> str:
    """``--count`` for a pipe: the number, or ``path:count`` lines; never wrapped."""
    from .sanitize import clean

    if show_path is None:
        show_path = result.searched > 1
    if not show_path:
        return f"{result.total_passages}\n"
    return "".join(f"{clean(f.path)}:{f.passages}\n" for f in result.files)


def plain_files(result) -> str:
    """``--files-with-matches`` for a pipe: one path per line."""
    from .sanitize import clean

    return "".join(clean(f.path) + "\n" for f in result.files)


def finish_search(result, paths: Sequence[str], mode: str, json_out: bool) -> None:
    """Print a search result as JSON Lines, or ``--count``/``-l`` as plain lines,
    then raise the no-match error when nothing matched."""
    from .output import emit_json, warn

    for path, message in result.errors:
        warn(f"{path}: {message}")
    if json_out:
        if mode == "passages":
            for p in result.passages:
                emit_json(p.to_dict())
        else:
            for f in result.files:
                emit_json(f.to_dict() if mode == "count" else {"type": "file", "path": f.path})
        emit_json(result.to_dict())
    elif mode == "count":
        if result.found or len(paths) <= 1:
            sys.stdout.write(plain_counts(result))
    elif mode == "files":
        sys.stdout.write(plain_files(result))
    if not result.found:
        raise no_match_error(result)


def _fast_search(flags: dict[str, bool], args: list[str]) -> int:
    from .output import _silence_stdout, fail
    from .search import search, split_terms_paths

    try:
        terms, paths = split_terms_paths(args)
        mode = "count" if flags.get("count") else "files"
        case = "sensitive" if flags.get("case_sensitive") else "insensitive" if flags.get("ignore_case") else "smart"
        result = search(
            terms, paths, regex=flags.get("regex", False), case=case, word=flags.get("word", False),
            exact=flags.get("exact", False), any_term=flags.get("any_term", False), mode=mode,
        )
        finish_search(result, paths, mode, flags.get("json_out", False))
        sys.stdout.flush()
        return ExitCode.OK
    except BriefError as e:
        return fail(e.message, e.hint, e.exit_code)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK


def main() -> None:
    """Run ``brief`` with ``sys.argv``."""
    argv = sys.argv[1:]
    if argv[:1] == ["search"]:
        from .output import _styled

        plan = parse_fast_search(argv[1:])
        if plan is not None and not _styled():
            sys.exit(int(_fast_search(*plan)))
    from .cli import main as typer_main

    typer_main()


if __name__ == "__main__":
    main()
