"""The order of a letter's parts: date/address, salutation, body, closing, signature.

A date line or an address may also stand after the body (a date under the signature is
the custom of many Russian and older letters; the writer's own address often follows the
signature): options ``allow-date-at-end`` and ``allow-address-at-end``. Page headers,
page breaks, references, postscripts, enclosures, copy lines and unclassified text are not
ranked.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..nodes import Address, Closing, Date, Letter, Node, Paragraph, Salutation, Signature
from ..rule import Diagnostic, RuleContext, rule

__all__ = ["RULES"]

_RANK: dict[type[Node], int] = {Date: 0, Address: 0, Salutation: 1, Paragraph: 2, Closing: 3, Signature: 4}
_LABEL = {Date: "date line", Address: "address", Salutation: "salutation", Paragraph: "body paragraph",
          Closing: "closing", Signature: "signature"}


@rule(
    "DP201",
    "part-order",
    "Parts come in order: date/address, salutation, body, closing, signature.",
    options={"allow-date-at-end": True, "allow-address-at-end": True},
)
def part_order(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    ranked = [c for c in letter.children if type(c) in _RANK]
    last_para = max((i for i, c in enumerate(ranked) if isinstance(c, Paragraph)), default=-1)
    highest: Node | None = None
    for i, node in enumerate(ranked):
        kind = type(node)
        if kind in (Date, Address) and i > last_para >= 0:
            allowed = ctx.options["allow-date-at-end"] if kind is Date else ctx.options["allow-address-at-end"]
            if allowed:
                continue
        if highest is not None and _RANK[kind] < _RANK[type(highest)]:
            where = highest.position.start.line if highest.position else "?"
            yield ctx.problem(
                node,
                f"{_LABEL[kind]} after the {_LABEL[type(highest)]} of line {where} "
                "(expected: date/address, salutation, body, closing, signature)",
            )
            continue
        if highest is None or _RANK[kind] >= _RANK[type(highest)]:
            highest = node


RULES = (part_order,)
