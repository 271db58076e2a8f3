"""Byte tables for counting Latin letters fast with ``bytes.translate`` (the layout
analysis and the Cyrillic look-alike detector both count them; public, so that the
analysis needs nothing private of the repair engine)."""

from __future__ import annotations

__all__ = ["FOREIGN_BYTES", "NOT_LATIN_BYTES"]

#: Latin letters that an English-only OCR (almost) never produces for Cyrillic: about 30%
#: of the letters of English prose and under 1% of look-alike Russian
FOREIGN_BYTES = b"dfghijsuvwzDFGLNQRSUVWZ"
#: every byte but the ASCII letters: ``bytes.translate`` deletes them to count letters fast
NOT_LATIN_BYTES = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
