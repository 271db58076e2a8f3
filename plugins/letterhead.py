"""Built-in grammar plugin ``letterhead``: the sender's printed letterhead, and references.

1. In the sender's address (the letterhead above the date, or the writer's address
   under the signature), each contact line becomes a ``contact`` node whose ``kind`` is
   ``phone``, ``fax``, ``email``, ``web`` or ``telegraph``; a line holding several
   ("Tel. 030 1234 · Fax 030 1235") is split at its separators (``·``, ``•``, ``|``,
   three or more spaces) into one node each, positioned on its part of the line::

       address role=sender                     address role=sender
         address_line "Tel. 01227 555 0142"  ->  contact kind=phone "Tel. 01227 555 0142"
         address_line "www.example.org"          contact kind=web   "www.example.org"

   Other lines stay ``address_line``.
2. Each ``reference`` line that gives a reference says whose, in ``data["letterhead"]``:
   ``kind`` (``ours``, ``yours`` or ``file``) and ``number``; subject lines ("Re: ...",
   "Betreff: ...") are left as the core reads them::

       reference "Our ref: HS/ARCH/147"  ->  data.letterhead = {"kind": "ours", "number": "HS/ARCH/147"}

   (English, German and French labels: "Your ref.", "Unser Zeichen", "N/Réf.", "File No.").
3. The reference lexicon learns "Our reference:", "File No. 12/345", "In reply please quote:".

Without this plugin the same lines are ``address_line`` and plain ``reference`` nodes.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import attrs

from docparse.grammar import GrammarPlugin, TeiMapping
from docparse.nodes import Address, AddressLine, Leaf, Node, Reference, register_node_type

__all__ = ["Contact", "CONTACT_KINDS", "contact_kind", "reference_kind", "plugin"]

#: the kinds of contact a letterhead lists
CONTACT_KINDS = ("phone", "fax", "email", "web", "telegraph")

_NUMBER = r"\+?\(?\d[\d\s()/.\-–]{4,}\d"
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?i)^(?:e-?mail|email|courriel|mail)\b.*|^\S+@[\w-]+(?:\.[\w-]+)+\.?$")),
    ("web", re.compile(r"(?i)^(?:web(?:site)?|internet|homepage|url)\b\s*[:.]?.*|^(?:https?://|www\.)\S+$")),
    ("fax", re.compile(rf"(?i)^(?:tele)?fax\b\.?\s*(?:no\.?|nr\.?)?\s*[:.]?\s*{_NUMBER}.*$|^(?:télécopie|fac-?simile)\b.*")),
    ("phone", re.compile(
        rf"(?i)^(?:tel(?:ephone|efon|\.)?|phone|ph\.|fon|téléphone|tél\.?|mobile|mob\.|handy)\b\.?\s*"
        rf"(?:no\.?|nr\.?|call)?\s*[:.]?\s*(?:{_NUMBER}|\w.*\d.*)$"
    )),
    ("telegraph", re.compile(r"(?i)^(?:telegrams?|telegraphic\s+address|cables?|cable\s+address|telex)\b.*")),
)
# what every line of a contact kind holds (the words and signs its pattern starts with):
# a line with none of them is no contact, and is not split
_MAYBE_CONTACT = re.compile(
    r"(?i)@|mail|courriel|web|internet|homepage|url|http|www\.|fax|télécopie|fac|tel|tél|phone|ph\."
    r"|fon|mobile|mob\.|handy|cable")
# separators between items on one letterhead line
_SEPARATOR = re.compile(r"\s+[·•|∙]\s+|\s{3,}|\s+[–—]\s+(?=\S)")


def contact_kind(text: str) -> str | None:
    """The kind of contact ``text`` gives, or None for any other line.

    >>> [contact_kind(t) for t in ("Tel. +49 30 123456", "Fax: 030 12345", "www.example.org",
    ...                            "E-mail: a@b.org", "12 Market Street")]
    ['phone', 'fax', 'web', 'email', None]
    """
    text = text.strip()
    for kind, pattern in _KIND_PATTERNS:
        if pattern.match(text):
            return kind
    return None


_REF_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ours", re.compile(r"(?i)^(?:our|unser[e]?|n\s*/\s*|nos?\s+)(?:\s*(?:ref|reference|réf|référence|file|zeichen|nachricht|schreiben))")),
    ("yours", re.compile(r"(?i)^(?:your|ihr[e]?|v\s*/\s*|vos?\s+)(?:\s*(?:ref|reference|réf|référence|file|zeichen|nachricht|schreiben|letter))")),
    ("file", re.compile(r"(?i)^(?:file|case|docket|account|aktenzeichen|geschäftszeichen|az|gz|dossier|in\s+reply|ref(?:erence)?\s+(?:no|nr|number))\b")),
    ("subject", re.compile(r"(?i)^(?:re|subject|subj|betreff|betr|objet|тема|касается)\b")),
)


def reference_kind(text: str) -> tuple[str, str | None]:
    """What a reference line refers to, and its number (for ours/yours/file).

    >>> reference_kind("Our ref: HS/ARCH/147"), reference_kind("Re: your visit")
    (('ours', 'HS/ARCH/147'), ('subject', None))
    """
    kind = next((k for k, p in _REF_KINDS if p.match(text.strip())), "reference")
    number = None
    if kind in ("ours", "yours", "file"):
        m = re.search(r"[:#№]\s*(.+)$|(?i:\b(?:no|nr|number)\.?)\s*(.+)$", text)
        if m:
            number = (m.group(1) or m.group(2)).strip().rstrip(".") or None
    return kind, number


@register_node_type
@attrs.frozen(kw_only=True)
class Contact(Leaf):
    """A way to reach the sender, from a letterhead or the writer's address;
    ``kind`` is one of :data:`CONTACT_KINDS`."""

    type: ClassVar[str] = "contact"
    data_fields: ClassVar[tuple[str, ...]] = ("kind",)
    kind: str = attrs.field(validator=attrs.validators.in_(CONTACT_KINDS))


def _pieces(build: Any, line: Any) -> list[tuple[int, int]]:
    """The source spans of the items of one line, split at its separators."""
    raw = build.index.text[line.start:line.end]
    spans, at = [], 0
    for m in _SEPARATOR.finditer(raw):
        if raw[at:m.start()].strip():
            spans.append((line.start + at, line.start + m.start()))
        at = m.end()
    if raw[at:].strip():
        spans.append((line.start + at, line.start + len(raw)))
    return spans


def _line_nodes(build: Any, tok: Any) -> list[Node]:
    nodes: list[Node] = []
    for line in tok.value.lines:
        if _MAYBE_CONTACT.search(line.text) is None:
            kinds: list[str | None] = []  # no word or sign any contact kind starts with
        else:
            spans = _pieces(build, line)
            texts = [" ".join(build.index.text[s:e].split()) for s, e in spans]
            kinds = [contact_kind(t) for t in texts]
        if not any(kinds):
            nodes.append(build.leaf(AddressLine, [tok]) if len(tok.value.lines) == 1 else
                         AddressLine(value=line.text, position=build.index.position(line.start, line.end)))
            continue
        for (s, e), text, kind in zip(spans, texts, kinds):
            pos = build.index.position(s, e)
            nodes.append(Contact(value=text, kind=kind, position=pos) if kind else AddressLine(value=text, position=pos))
    return nodes


def _address(build: Any, items: list[Any]) -> Address:
    lines = [n for t in items if hasattr(t, "type") and t.value.lines for n in _line_nodes(build, t)]
    return build.parent(Address, lines, role="sender")


def sender_address(build: Any, items: list[Any]) -> Address:
    """The sender's address or letterhead, its contact lines as ``contact`` nodes."""
    return _address(build, items)


def closer_address(build: Any, items: list[Any]) -> Address:
    """The writer's address under the signature, its contact lines as ``contact`` nodes."""
    return _address(build, items)


def reference(build: Any, items: list[Any]) -> list[Node]:
    """One ``reference`` per line (each line carries its own label: "Our ref: ...",
    "Your ref: ..."), with ``data["letterhead"]`` = {kind, number} for reference numbers."""
    out: list[Node] = []
    for tok in items:
        if not getattr(tok, "type", "") or not tok.value.lines:
            continue
        node = build.leaf(Reference, [tok])
        kind, number = reference_kind(node.value)
        if kind in ("subject", "reference"):
            out.append(node)  # a subject line names no reference: left as the core reads it
            continue
        info: dict[str, Any] = {"kind": kind}
        if number:
            info["number"] = number
        out.append(node.evolve(data={**node.data, "letterhead": info}))
    return out


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"(?i)(?:https?://|www\.)[^\s,;]+[^\s,;.]|(?<![@\w.])[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|edu|gov|de|fr|uk|ru|eu|info)\b")


def tei_contact(tei: Any, parent: Any, node: Any) -> None:
    """The TEI of a ``contact`` (the plugin's :class:`~docparse.grammar.TeiMapping`): an
    ``<addrLine>`` of its address, the e-mail address in it an ``<email>``, a web
    address followed by a ``<ptr target>``::

        contact kind=email "E-mail: info@example.org"
            -> <addrLine>E-mail: <email>info@example.org</email></addrLine>
        contact kind=web "www.example.org"
            -> <addrLine>www.example.org<ptr target="http://www.example.org"/></addrLine>

    (A contact whose text a repair changed is written with its repairs, without the
    ``<email>``; one outside an address, as a ``<note type="contact">``.)
    """
    if not str(getattr(parent, "tag", "")).endswith("}address"):
        tei.text(tei.element(parent, "note", type="contact"), node)
        return
    line = tei.element(parent, "addrLine")
    found = _EMAIL.search(node.value) if node.kind == "email" and not node.repairs else None
    if found is None:
        tei.text(line, node)
    else:
        tei.append(line, node.value[: found.start()])
        tei.append(tei.element(line, "email"), found.group())
        tei.append(line, node.value[found.end():])
    web = _WEB.search(node.value) if node.kind == "web" else None
    if web is not None:
        url = web.group()
        tei.element(line, "ptr", target=url if "://" in url else f"http://{url}")


plugin = GrammarPlugin.from_resource(
    "docparse.plugins",
    "letterhead.lark",
    name="letterhead",
    description="The sender's printed letterhead (phone, fax, e-mail, web as contact nodes) and reference lines (ours, yours, file numbers).",
    builders={"sender_address": sender_address, "closer_address": closer_address, "reference": reference},
    tei={"contact": TeiMapping(zone="anywhere", write=tei_contact)},
    version="1",
)
