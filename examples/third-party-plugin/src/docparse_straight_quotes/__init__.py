"""docparse repair plugin ``straight-quotes``: typographic quotes become ASCII quotes.

Text copied from word processors and e-mail carries curly quotes (“ ” ‘ ’), which
make searching and comparing letters harder. This plugin replaces them, through
``ctx.edit``, so each change is recorded and can be undone::

    paragraph: He said “it’s done”.  ->  paragraph: He said "it's done".

Option ``guillemets`` (default false) also turns « » into ".
"""

from __future__ import annotations

from typing import Any

from docparse.edits import Edit
from docparse.nodes import Document, Leaf, Node
from docparse.plugin import RepairContext, repair_plugin
from docparse.visitor import Transformer

__all__ = ["plugin", "quote_edits"]

_DOUBLE = "“”„‟″〝〞"
_SINGLE = "‘’‚‛′"
_GUILLEMETS = "«»"


def quote_edits(text: str, guillemets: bool = False) -> list[Edit]:
    """The edits that straighten the quotes of ``text``.

    ``quote_edits("“Yes”")`` -> ``[Edit(0, 1, "“", '"', 1.0, ...), Edit(4, 5, "”", '"', 1.0, ...)]``
    """
    double = _DOUBLE + (_GUILLEMETS if guillemets else "")
    edits = []
    for i, c in enumerate(text):
        if c in double:
            edits.append(Edit(i, i + 1, c, '"', 1.0, "straight-quote"))
        elif c in _SINGLE:
            edits.append(Edit(i, i + 1, c, "'", 1.0, "straight-quote"))
    return edits


class _Straighten(Transformer):
    def __init__(self, ctx: RepairContext) -> None:
        self.ctx = ctx

    def generic_leave(self, original: Node, updated: Node) -> Any:
        if isinstance(updated, Leaf):
            edits = quote_edits(updated.value, bool(self.ctx.options["guillemets"]))
            if edits:
                return self.ctx.edit(updated, edits)
        return updated


@repair_plugin(
    name="straight-quotes",
    description="Replace typographic quotes with ASCII quotes.",
    reads=("paragraph", "postscript", "salutation", "closing", "name", "title", "text"),
    options={"guillemets": False},
    version="1.0.0",
    default=False,
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Straighten every quote in the tree's text (see the module docstring)."""
    result = _Straighten(ctx).transform(tree)
    assert isinstance(result, Document)
    return result
