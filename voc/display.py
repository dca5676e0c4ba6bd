"""Text from outside (file names, reasons) made safe to print on a terminal: control characters,
line breaks and bidirectional overrides are shown as escapes, so a file name cannot clear the
screen, fake an output line or reverse what follows it."""

from __future__ import annotations

import unicodedata

_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: object) -> str:
    out = []
    for ch in str(text):
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\u200d":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
