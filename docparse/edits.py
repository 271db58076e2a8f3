"""Text edits shared by the pure-text repair functions.

An :class:`Edit` replaces ``text[start:end]`` (``before``) with ``after``.  Repair
functions return lists of edits instead of new strings so that every change can be
recorded as a :class:`docparse.nodes.Repair` (offsets shifted into the original
source) and undone.  ``apply_edits`` is the one place that turns edits into text.

Example: ``apply_edits("July 21 , 2004", [Edit(7, 9, " ,", ",", 0.9)])`` ->
``"July 21, 2004"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["Edit", "apply_edits"]


def _check_offsets(instance: Edit, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"Edit.{attribute.name} must be >= 0, got {value}")


def _check_confidence(instance: Edit, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Edit.confidence must be within 0..1, got {value!r}")


@attrs.frozen
class Edit:
    """Replace ``before`` (== ``text[start:end]``) with ``after``.

    ``start``/``end`` are code-point offsets into the text the generating function was
    given; ``reason`` is a short machine-readable explanation such as
    ``"space-before-punct"`` or ``"lexicon:corrption->corruption"``.
    """

    start: int = attrs.field(validator=_check_offsets)
    end: int = attrs.field(validator=_check_offsets)
    before: str
    after: str
    confidence: float = attrs.field(validator=_check_confidence)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Edit.end ({self.end}) is before Edit.start ({self.start})")
        if len(self.before) != self.end - self.start:
            raise ValueError(
                f"Edit.before {self.before!r} has length {len(self.before)}, "
                f"but end - start = {self.end - self.start}"
            )

    def shifted(self, delta: int) -> Edit:
        """Return the same edit with both offsets moved by ``delta`` (e.g. into a node's source span)."""
        return attrs.evolve(self, start=self.start + delta, end=self.end + delta)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping ``edits`` (sorted by ``start``) to ``text``.

    Raises ``ValueError`` when edits overlap, are out of order, fall outside the text,
    or when an edit's ``before`` does not match the text it claims to replace.
    Two insertions at the same offset are treated as overlapping (their order would be
    ambiguous).
    """
    out: list[str] = []
    pos = 0
    prev: Edit | None = None
    for edit in edits:
        if edit.end > len(text):
            raise ValueError(f"edit {edit.start}..{edit.end} is outside the text (length {len(text)})")
        if prev is not None and (edit.start < prev.end or (edit.start == prev.start == prev.end)):
            raise ValueError(
                f"edits overlap or are unsorted: {prev.start}..{prev.end} {prev.before!r} "
                f"and {edit.start}..{edit.end} {edit.before!r}"
            )
        if text[edit.start : edit.end] != edit.before:
            raise ValueError(
                f"edit {edit.start}..{edit.end} expects {edit.before!r} "
                f"but the text has {text[edit.start:edit.end]!r}"
            )
        out.append(text[pos : edit.start])
        out.append(edit.after)
        pos = edit.end
        prev = edit
    out.append(text[pos:])
    return "".join(out)
