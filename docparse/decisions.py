"""Why each line became what it is: the layout analysis's decisions, line by line.

``docparse explain FILE`` prints them; :func:`explain_layout` returns them. For every
line of the text it gives the role the line was given (``date``, ``salutation``,
``paragraph``, ``closing``, ``signatory-name`` ...), the named rule of the analysis
that decided it, the evidence the rule went by, and the line's facts (indentation,
width, blank lines around it, whether it reads as a date or a typed name, the lexicons
it matches). A user debugging a misparse, or a plugin author checking that a lexicon
entry took, reads which rule to look at instead of guessing.

Rule names are ``stage.rule``: ``pages.*`` (running headers and page breaks),
``letters.*`` (where a letter starts), ``opener.*``, ``salutation.*``, ``body.*`` (the
rule that began a paragraph), ``closer.*`` (the closer zone and the closing words),
``signature.*`` and ``tail.*`` (postscripts, enclosures, copies, a date at the end).
The names are part of the documented surface (docs/explain.md); the evidence text is
for people and may change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .grammar import installed
from .layout import analyse
from .nodes import Document, Leaf, Node
from .parser import _lookalike_tools, _parser
from .visitor import Transformer

__all__ = ["LineDecision", "explain_layout", "format_decisions", "trace_layout", "ROLES"]

#: the role a line token stands for, as ``docparse explain`` names it
ROLES = {
    "DATE_LINE": "date",
    "END_DATE_LINE": "date",
    "LATE_DATE_LINE": "date",
    "SUBJECT_LINE": "reference",
    "SENDER_LINE": "sender-address",
    "RECIPIENT_LINE": "recipient-address",
    "REF_LINE": "reference",
    "SALUTATION_LINE": "salutation",
    "PARA_LINE": "paragraph",
    "CLOSING_LINE": "closing",
    "NAME_LINE": "signatory-name",
    "TITLE_LINE": "signatory-title",
    "CLOSER_ADDR_LINE": "closer-address",
    "PS_LINE": "postscript",
    "ENCL_LINE": "enclosure",
    "CC_LINE": "copy",
    "QUOTE_LINE": "quote",
    "SIGBLOCK_LINE": "email-signature",
    "HEADER_LINE": "page-header",
    "TEXT_LINE": "text",
}


@attrs.frozen
class LineDecision:
    """One line of the text and the analysis's decision about it."""

    #: 1-based line number (line feeds counted, as in the gold format)
    line: int
    #: the line's text, white space runs joined
    text: str
    #: the letter the line belongs to (1-based; 0 for blank lines between letters)
    letter: int
    #: the line's role (:data:`ROLES`, a plugin's token in lower case, ``blank``, ``page-break``)
    role: str
    #: the named rule that decided the role
    rule: str
    #: what the rule went by, in words
    evidence: str
    #: the line's facts: indent, length, lang, blank_above, blank_below, date_like,
    #: name_like, lexicons (the LEX_* terminals it matches)
    facts: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def explain_layout(text: str, *, grammar: Any = None) -> list[LineDecision]:
    """The analysis's decision for every line of ``text`` (as :func:`docparse.parse`
    analyses it, with the installed grammar plugins unless ``grammar`` is given)."""

    if grammar is None:
        grammar = installed()
    _lark, lexicon, _build, _runs = _parser(grammar.text, grammar.builders)
    lookalike, decode = _lookalike_tools()
    letters = analyse(text, lexicon, lookalike=lookalike, decode=decode,
                      line_classes=grammar.line_classes)
    if not letters:
        return []
    an = letters[0][1][2]
    lines = an.lines
    role: dict[int, str] = {}
    owner: dict[int, int] = {}
    number = 0
    for toks, (a, e, _an) in letters:
        if any(t.lines for t in toks):
            number += 1
        for i in range(a, e):
            owner[i] = number
        for t in toks:
            for ln in t.lines:
                role[ln.index] = ROLES.get(t.type, t.type.lower().removesuffix("_line").replace("_", "-"))
    names = sorted(n for n in lexicon.patterns if n.startswith("LEX_"))
    out: list[LineDecision] = []
    for ln in lines:
        i = ln.index
        facts = _facts(ln, lines, lexicon, names)
        rule, evidence = an.why.get(i, ("", ""))
        if ln.blank:
            r = "page-break" if ln.role == "BREAK" else "blank"
            rule = rule or ("pages.blank-line" if r == "blank" else "pages.form-feed")
            evidence = evidence or "no text"
            out.append(LineDecision(i + 1, "", owner.get(i, 0), r, rule, evidence, facts))
            continue
        r = role.get(i, "text")
        if not rule and r in ("paragraph", "postscript"):
            rule = "body.paragraph-continues" if r == "paragraph" else "tail.postscript-continues"
            evidence = "no paragraph break before it"
        elif not rule:
            rule, evidence = "grammar.unclassified", "no stage claimed the line: the grammar reads it as text"
        zone = next((z for a, b, z in an.closer_spans if a <= i <= b), None)
        if zone and not rule.startswith("body."):
            evidence = f"{evidence}; zone {zone}"
        start = an.starts_why.get(i)
        if start:
            evidence = f"{evidence}; starts letter {owner.get(i, 0)}: {start}"
        out.append(LineDecision(i + 1, ln.text, owner.get(i, 0), r, rule, evidence, facts))
    return out


def _facts(ln: Any, lines: list[Any], lexicon: Any, names: list[str]) -> dict[str, Any]:
    i = ln.index
    if ln.blank:
        return {"blank": True}
    return {
        "indent": ln.indent,
        "length": ln.length,
        "lang": ln.lang,
        "blank_above": i == 0 or lines[i - 1].blank,
        "blank_below": i + 1 >= len(lines) or lines[i + 1].blank,
        "date_like": ln.date_like,
        "name_like": ln.name_like,
        "lexicons": [n.removeprefix("LEX_").lower() for n in names if lexicon.match(n, ln.key)],
    }


def format_decisions(decisions: Iterable[LineDecision], *, facts: bool = False, blank: bool = False) -> str:
    """The decisions as text, a line each: number, letter, role, rule, the line's text,
    and (indented under it) the evidence, and with ``facts`` the line's facts."""
    rows: list[str] = []
    for d in decisions:
        if d.role == "blank" and not blank:
            continue
        text = d.text if len(d.text) <= 60 else d.text[:57] + "..."
        rows.append(f"{d.line:>5} {d.letter:>2} {d.role:<17} {d.rule:<36} {text}")
        if d.evidence:
            rows.append(f"{'':>9}{'':<17} because: {d.evidence}")
        if facts and d.facts and not d.facts.get("blank"):
            shown = ", ".join(f"{k}={v}" for k, v in d.facts.items() if v not in (None, [], False))
            rows.append(f"{'':>9}{'':<17} facts: {shown}")
    return "\n".join(rows) + ("\n" if rows else "")


class _Trace(Transformer):
    def __init__(self, decisions: dict[int, LineDecision]) -> None:
        self.decisions = decisions

    def generic_leave(self, original: Node, updated: Node) -> Node:
        if not isinstance(updated, Leaf) or updated.position is None:
            return updated
        d = self.decisions.get(updated.position.start.line)
        if d is None:
            return updated
        return updated.evolve(data={**updated.data, "layout": {
            "role": d.role, "rule": d.rule, "evidence": d.evidence}})


def trace_layout(doc: Document, *, grammar: Any = None) -> Document:
    """``doc`` with the layout analysis's decision recorded on every leaf, under
    ``data["layout"]``: the ``rule`` that decided its first line, the line's ``role`` and
    the ``evidence`` (``docparse parse --trace``). The decisions are
    those :func:`explain_layout` gives for the document's source text; a leaf's own
    typed fields and repairs are kept."""
    decisions = {d.line: d for d in explain_layout(doc.source.text or "", grammar=grammar)}
    result = _Trace(decisions).transform(doc)
    assert isinstance(result, Document)
    return result
