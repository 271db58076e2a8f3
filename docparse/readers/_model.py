"""What every reader yields: pages of engine lines with boxes, before they become text."""

from __future__ import annotations

import attrs

Box = tuple[float, float, float, float]


@attrs.frozen(kw_only=True)
class Word:
    """A word as the engine read it (``confidence`` from 0 to 1, or None)."""

    text: str
    box: Box | None = None
    confidence: float | None = None


@attrs.frozen(kw_only=True)
class Line:
    """One line of the engine, in its reading order; ``box`` in page coordinates (y down)."""

    text: str
    box: Box | None = None
    confidence: float | None = None
    words: tuple[Word, ...] = ()


@attrs.frozen(kw_only=True)
class Page:
    """One page: its size in the engine's units, the file it came from, and its lines."""

    width: float
    height: float
    lines: tuple[Line, ...]
    file: str | None = None


def union(boxes: list[Box]) -> Box:
    """The smallest box holding ``boxes`` (not empty)."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def clamp_confidence(value: float | None) -> float | None:
    """A confidence inside 0..1 (engines round, and some write 1.0000001), or None."""
    if value is None or value != value:  # (NaN)
        return None
    return min(1.0, max(0.0, float(value)))
