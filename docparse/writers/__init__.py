"""Writers back to the engine's formats: ALTO 4.4 and PAGE-XML 2019.

``to_alto(doc)`` and ``to_page(doc)`` write a parsed document's source lines with their
boxes (the engine's, kept by the readers; for a plain-text source, boxes made from the
lines' columns on a nominal page) and its structure: each part of the letter (a date, an
address, a paragraph, a signature ...) is one ALTO ``TextBlock`` that refers to a
``StructureTag`` of its type, or one PAGE ``TextRegion`` of the PAGE type that fits
(``paragraph``, ``header``, ``signature-mark``, ``other``) with the docparse type in its
``custom`` attribute (``structure {type:salutation;}``). See docs/readers.md.
"""

from __future__ import annotations

from .alto import to_alto
from .page import to_page

__all__ = ["to_alto", "to_page"]
