"""Text preparation before any model sees it: normalise, detect the language, redact."""

from pipelines.text.normalise import normalise
from pipelines.text.redact import redact

__all__ = ["normalise", "redact"]
