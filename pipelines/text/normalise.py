"""One canonical form of a customer's text for the models; the original is kept elsewhere."""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<(?:br|p|div|li|tr|/p|/div|/li|/tr)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\ufeff]")

URL_PLACEHOLDER = "[URL]"
MENTION_PLACEHOLDER = "[USER]"


def normalise(text: str) -> str:
    """NFC, HTML entities and tags resolved, URLs and @mentions as placeholders, tidy spaces.

    Line breaks are kept (one per paragraph) so sentences stay apart.
    """
    if not text:
        return ""
    out = html.unescape(html.unescape(text))  # exports often escape twice (&amp;amp;)
    out = _TAG.sub("\n", out)
    out = _ANY_TAG.sub(" ", out)
    out = unicodedata.normalize("NFC", out)
    out = _CONTROL.sub("", out)
    out = _URL.sub(URL_PLACEHOLDER, out)
    out = _MENTION.sub(MENTION_PLACEHOLDER, out)
    out = _SPACES.sub(" ", out)
    out = _NEWLINES.sub("\n", out)
    return out.strip()
