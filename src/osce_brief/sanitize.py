"""Terminal safety: article text never sends control sequences to the terminal.

:func:`clean` removes escape sequences (CSI, OSC, DCS, APC, PM, SOS and their 8-bit
forms) and replaces every other C0/C1 control character, except newline and tab,
with a visible placeholder. Bidi overrides/isolates are made visible too, so a line
cannot be reordered on screen, and so are the invisible bidi marks (U+200E LRM,
U+200F RLM, U+061C ALM: in a terminal that applies the bidi algorithm one can move
digits and punctuation across each other) and the line and paragraph separators
U+2028/U+2029 (a terminal does not break the line there, tools reading the output
may). Offsets in JSON always refer to the raw source; only what is printed is cleaned.
"""

from __future__ import annotations

import re

# ESC-introduced and 8-bit sequences: CSI (ESC[ or \x9b) ... final byte;
# OSC/DCS/APC/PM/SOS (ESC] ESC P ESC _ ESC ^ ESC X or \x9d \x90 \x9f \x9e \x98)
# up to ST (ESC\ or \x9c) or BEL on the same line; two-byte ESC sequences. A string
# introducer without its terminator is not a sequence: it is shown as a visible
# control and the text after it is kept (mojibake turns "”" into "â€\x9d", and
# that \x9d must not swallow the rest of the document).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P_^X]|[\x9d\x90\x9f\x9e\x98])[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    ch = m.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 control pictures: \x01 -> ␁
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def has_controls(text: str) -> bool:
    """True if ``text`` holds anything :func:`clean` would change."""
    return _CONTROLS.search(text) is not None


def clean(text: str) -> str:
    """Text safe to print: escape sequences dropped, other controls made visible.

    Newlines and tabs are kept; carriage returns are shown as ``␍`` unless part of
    a CRLF pair, which becomes a plain newline.

    Example:
        >>> clean("a\\x1b[31mred\\x1b[0m\\x07")
        'ared␇'
    """
    if not _CONTROLS.search(text):
        return text
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub(_visible, text)
