"""Typed errors and the named exit codes.

Library code raises :class:`BriefError` subclasses; only ``cli.py`` turns them into
one line on stderr and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, as grep's.

    * ``OK`` (0): success, something was printed.
    * ``NO_MATCH`` (1): the command ran but found nothing (a search with no hit).
    * ``USAGE`` (2): bad usage or bad input (unknown section, unreadable file...).
    * ``INTERRUPTED`` (130): stopped with Ctrl-C.
    """

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    INTERRUPTED = 130


class BriefError(Exception):
    """Base error: a message saying what went wrong and a hint saying how to fix it."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(BriefError):
    """The input could not be read or decoded (missing file, binary, bad encoding)."""


class SectionError(BriefError):
    """A section selector did not match (out of range, unknown or ambiguous words)."""


class UsageError(BriefError):
    """An option value is wrong (bad regex, empty term...)."""


class NoMatch(BriefError):
    """The command ran but found nothing: exit 1."""

    exit_code = ExitCode.NO_MATCH
