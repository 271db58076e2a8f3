"""docparse grammar plugin ``telegram``: telegrams, as a third-party package.

A telegram opens with its carrier's heading and says everything in one run of capitals,
its sentences ended by ``STOP``::

    WESTERN UNION                        telegram_header "WESTERN UNION / TELEGRAM"
    TELEGRAM
    NEW YORK NY 1923 MAR 3 PM 4 12   ->  date iso=1923-03-03
    ...
    ARRIVING THURSDAY NOON STOP          telegram_text sentences=["ARRIVING THURSDAY NOON",
    PLEASE MEET TRAIN STOP LOVE                                   "PLEASE MEET TRAIN", "LOVE"]

The heading is a new rule of the grammar (a ``telegram_header`` node, built by
:func:`telegram_header`); the text is found by the plugin's ``finish`` step, which turns
the paragraphs of a telegram that hold ``STOP`` into ``telegram_text`` nodes.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import attrs
from docparse.grammar import GrammarPlugin, LineClass
from docparse.nodes import Leaf, Letter, Paragraph, register_node_type

__all__ = ["TelegramHeader", "TelegramText", "sentences", "plugin"]

_STOP = re.compile(r"\s*\bSTOP\b\s*")


@register_node_type
@attrs.frozen(kw_only=True)
class TelegramHeader(Leaf):
    """The carrier's heading; ``value`` joins its lines with `` / ``."""

    type: ClassVar[str] = "telegram_header"


@register_node_type
@attrs.frozen(kw_only=True)
class TelegramText(Leaf):
    """The text of a telegram; ``sentences`` are its parts between the STOPs."""

    type: ClassVar[str] = "telegram_text"
    data_fields: ClassVar[tuple[str, ...]] = ("sentences",)
    sentences: tuple[str, ...] = attrs.field(default=(), converter=tuple)


def sentences(text: str) -> list[str]:
    """The sentences of a telegram's text, split at ``STOP``.

    >>> sentences("ARRIVING THURSDAY STOP PLEASE MEET TRAIN STOP LOVE")
    ['ARRIVING THURSDAY', 'PLEASE MEET TRAIN', 'LOVE']
    """
    return [s for s in (part.strip() for part in _STOP.split(text)) if s]


def telegram_header(build: Any, items: list[Any]) -> TelegramHeader:
    """``telegram_header: TELEGRAM_LINE+`` -> one TelegramHeader over its lines."""
    node = build.leaf(TelegramHeader, items)
    lines = [ln.text for t in items if getattr(t, "type", "") for ln in t.value.lines]
    return node.evolve(value=" / ".join(lines))


def finish(letter: Letter) -> Letter:
    """In a telegram, each paragraph holding STOP becomes a ``telegram_text``.

    Before -> after: ``paragraph "ALL WELL STOP LOVE"`` -> ``telegram_text "ALL WELL STOP LOVE"
    sentences=["ALL WELL", "LOVE"]``. Other letters are returned unchanged (idempotent).
    """
    if not letter.children or letter.children[0].type != "telegram_header":
        return letter
    kids = tuple(
        TelegramText(value=c.value, position=c.position, data=c.data, repairs=c.repairs,
                     sentences=sentences(c.value))
        if isinstance(c, Paragraph) and _STOP.search(c.value) else c
        for c in letter.children
    )
    return letter if kids == letter.children else letter.evolve(children=kids)


plugin = GrammarPlugin.from_resource(
    __name__,
    "telegram.lark",
    name="telegram",
    description="Telegrams: the carrier's heading (WESTERN UNION, TELEGRAM) and STOP-separated text.",
    line_classes=[LineClass(token="TELEGRAM_LINE", lexicon="LEX_TELEGRAM", zone="opener", starts_letter=True)],
    builders={"telegram_header": telegram_header},
    finish=finish,
    version="0.1.0",
)
