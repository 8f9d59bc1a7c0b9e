"""Renderers: result objects -> Rich renderables. They never print.

Article text always enters Rich as :class:`rich.text.Text` built from
:func:`osce_brief.sanitize.clean` output, never as markup.
"""

from __future__ import annotations

import re

from ..sanitize import clean

TYPE_CHECKING = False  # (importing typing costs start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from rich.text import Text

_WS = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def safe(text: str, style: str = "") -> Text:
    """A Text of article ``text``, cleaned of control sequences, with ``style``."""
    from rich.text import Text

    return Text(clean(text), style=style)


def flow(text: str) -> str:
    """Join hard-wrapped lines of a paragraph for display (line breaks -> spaces)."""
    if "\n" not in text and "\r" not in text:
        return text
    return _WS.sub(" ", text)


def minutes(words: int) -> str:
    """A reading time such as ``4 min`` or ``<1 min``."""
    from ..outline import reading_minutes

    m = reading_minutes(words)
    if m < 1:
        return "<1 min"
    if m < 90:
        return f"{round(m)} min"
    return f"{m / 60:.1f} h"
