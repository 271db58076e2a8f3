"""TEI P5 XML from docparse trees: the encoding digital editions of letters are made in.

:func:`to_tei` writes a document as one ``<TEI>`` file, a ``<div type="letter">`` per
letter (``xml:id`` ``letter-1``, ``letter-2``, ...; ``xml:lang`` its language)::

    date            <opener><dateline>Washington, <date when="1962-03-03">March 3, 1962</date></dateline>
    address         <address><addrLine>...</addrLine>...</address>   (in the opener or the closer)
    reference       <seg type="reference">Re: ...</seg>               (in the opener)
    salutation      <salute>Dear Mrs. Holloway:</salute>              (in the opener)
    paragraph       <p>...</p>
    closing         <closer><salute>Sincerely,</salute>
    signatory       <signed><persName>John Baxter</persName><lb/><roleName>Chair</roleName></signed>
    postscript      <postscript><p>P.S. ...</p></postscript>
    enclosure/copy  <note type="enclosure">...</note>, <note type="copy">...</note>
    quote           <note type="quote">...</note> (another message quoted under the letter)
    email_signature <note type="email-signature">...</note> (the "-- " block of an e-mail)
    page_break      <pb n="2"/>  (n: the page it starts, where known)
    page_header     <fw type="header" n="2">Mr. X<lb/>July 21, 2004<lb/>Page 3</fw>
    text            <note type="unclassified">...</note>

Date lines, addresses, references and salutations before the first paragraph form the
``<opener>``; closings, signatures, and date lines or addresses after the body, the
``<closer>``. TEI allows no paragraph after the closer: one the parser found there is
written as a ``<postscript>``; and none of the closing parts without a body before them:
a letter of no paragraph gets an empty ``<p/>`` there (as a document with no letter gets
one in its ``<body>``).

Every recorded repair is kept as TEI records a correction, the text as read and the text
as repaired, with the plugin that made it (a ``<respStmt>`` of the header) and its
confidence::

    <choice><sic>JIYKameHKo</sic><corr resp="#repair-cyrillic-lookalikes" cert="0.97">Лукашенко</corr></choice>

A repair that regularizes what the writer wrote rather than correcting a misreading (the
plugins of :data:`NORMALIZATIONS`: ``dehyphenate`` joining a word hyphenated at a line
break) is TEI's regularization, ``<choice><orig>exam- </orig><reg>...</reg></choice>``.

A format plugin's own node types are written through its TEI mapping
(:class:`docparse.grammar.TeiMapping`, ``GrammarPlugin(tei=...)``): a zone of the letter
(``opener``, ``body``, ``closer``, ``anywhere``) and a function that writes the node with
a :class:`TeiContext`. The built-in ``memo`` puts its header fields in the ``<opener>``
(``<seg type="memo-field" subtype="to">``, the date a ``<dateline>``), so that the body
after it is the letter's ``<p>``; ``letterhead`` writes a contact as an ``<addrLine>``
holding an ``<email>``, or followed by a ``<ptr target>`` for a web address. A plugin
node without a mapping is a ``<note type="TYPE">`` (a parent: its leaves, one each).

(repairs that touch the same text are one ``<choice>``, the first reading against the
last). A paragraph that runs across a page break is one ``<p>`` with the ``<pb/>`` and
running header inside it, where the page turns (the tree puts them after the paragraph;
their positions say where they stood).

The header says where the text came from (the source's name, SHA-256, encoding and
length, and the docparse version) and gives a ``<correspDesc>`` per letter (TEI's
correspondence metadata, as the CMIF uses it): who sent it (the signatories' names) and
when (its ISO date, or the date of its running headers), and the recipient's address as
the letter writes it. Nothing there is guessed beyond what the tree holds.

Values are written as the tree holds them (whitespace inside a paragraph as one space;
a character XML cannot hold, such as a control character, as U+FFFD):
TEI is a view for editions, the lossless record stays the JSON and its source text.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Sequence

from . import __version__
from .dates import find_dates
from .errors import PluginError, UsageError
from .grammar import GrammarPluginWarning, TeiMapping, installed
from .nodes import (
    Address,
    Closing,
    Copy,
    Date,
    Document,
    EmailSignature,
    Enclosure,
    Leaf,
    Letter,
    Name,
    Node,
    PageBreak,
    PageHeader,
    Paragraph,
    Parent,
    Postscript,
    Quote,
    Reference,
    Salutation,
    Signatory,
    Signature,
    Text,
    Title,
)
from .repair import RepairError, undo_offsets

__all__ = ["NORMALIZATIONS", "TEI_NS", "TeiContext", "to_tei"]

#: repair plugins whose changes regularize what the writer wrote rather than correct a
#: misreading: TEI's ``<orig>/<reg>``, where the others' are ``<sic>/<corr>``
#: (``to_tei(normalizations=...)`` overrides it)
NORMALIZATIONS: frozenset[str] = frozenset({"dehyphenate"})

#: the TEI namespace
TEI_NS = "http://www.tei-c.org/ns/1.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

_OPENER_TYPES = (Date, Address, Reference, Salutation)
_CLOSER_TYPES = (Closing, Signature, Date, Address, Salutation)
#: nodes TEI allows anywhere in a division (milestones, forme work, notes)
_ANYWHERE = (PageBreak, PageHeader, Text, Enclosure, Copy, Quote, EmailSignature)


def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _sub(parent: ET.Element, name: str, **attrib: str) -> ET.Element:
    return ET.SubElement(parent, _tag(name), attrib)


# --------------------------------------------------------------------------- repairs


class _Piece:
    """A run of a leaf's value: as read (``before``) and as repaired (``after``)."""

    __slots__ = ("after", "before", "confidence", "plugins")

    def __init__(self, text: str, before: str | None = None) -> None:
        self.after = text
        self.before = before  # None: not repaired
        self.plugins: list[str] = []
        self.confidence = 1.0


_Edit = tuple[int, int, str, str, float]  # start, size, after, plugin, confidence


def _runs(leaf: Leaf, offsets: Sequence[int]) -> list[list[_Edit]]:
    """The repairs of ``leaf`` in runs of edits left to right, each edit after the end of
    the one before (as one plugin's edits are recorded), with offsets into the value as it
    was before the run: a run's edits do not overlap there."""
    runs: list[list[_Edit]] = []
    shift = 0  # how much the run's earlier edits moved the text after them
    last_end = -1
    for r, at in zip(leaf.repairs, offsets):
        if not runs or at < last_end:
            runs.append([])
            shift = 0
        runs[-1].append((at - shift, len(r.before), r.after, r.plugin, r.confidence))
        shift += len(r.after) - len(r.before)
        last_end = at + len(r.after)
    return runs


def _run_offsets(run: Sequence[_Edit]) -> list[_Edit]:
    """A run's edits with offsets into the value as each finds it (to apply one by one)."""
    out: list[_Edit] = []
    shift = 0
    for start, size, after, plugin, confidence in run:
        out.append((start + shift, size, after, plugin, confidence))
        shift += len(after) - size
    return out


def _apply_run(pieces: list[_Piece], run: Sequence[_Edit]) -> list[_Piece] | None:
    """``pieces`` after a run of edits that do not overlap (offsets into their text), in
    one pass; None if two edits fall in one repaired piece."""
    pieces = _cut_all(pieces, sorted({b for start, size, *_ in run for b in (start, start + size)}))
    out: list[_Piece] = []
    i, pos, n = 0, 0, len(pieces)
    for k, (start, size, after, plugin, confidence) in enumerate(run):
        end = start + size
        while i < n and pos + len(pieces[i].after) <= start:
            out.append(pieces[i])
            pos += len(pieces[i].after)
            i += 1
        covered: list[_Piece] = []
        first_pos = pos
        if size:
            while i < n and pos < end:
                covered.append(pieces[i])
                pos += len(pieces[i].after)
                i += 1
        elif i < n and pieces[i].before is not None and pos < start < pos + len(pieces[i].after):
            covered.append(pieces[i])
            pos += len(pieces[i].after)
            i += 1
        if pos > end and k + 1 < len(run) and run[k + 1][0] < pos:
            return None  # the last covered piece reaches into the next edit
        merged = _Piece("", "")
        merged.confidence = confidence
        if covered:
            head = covered[0].after[: max(0, start - first_pos)]
            tail = covered[-1].after[len(covered[-1].after) - max(0, pos - end) :] if pos > end else ""
            merged.before = "".join(p.after if p.before is None else p.before for p in covered)
            merged.after = head + after + tail
            for piece in covered:
                merged.plugins += piece.plugins
                merged.confidence = min(merged.confidence, piece.confidence)
        else:
            merged.after = after
        if plugin not in merged.plugins:
            merged.plugins.append(plugin)
        out.append(merged)
    out.extend(pieces[i:])
    return out


def _cut_all(pieces: list[_Piece], bounds: Sequence[int]) -> list[_Piece]:
    """``pieces`` with plain pieces cut at every offset of ``bounds`` (sorted) inside them."""
    out: list[_Piece] = []
    pos = 0
    k = 0
    for piece in pieces:
        size = len(piece.after)
        while k < len(bounds) and bounds[k] <= pos:
            k += 1
        if piece.before is None:
            cut = pos
            while k < len(bounds) and bounds[k] < pos + size:
                out.append(_Piece(piece.after[cut - pos : bounds[k] - pos]))
                cut = bounds[k]
                k += 1
            out.append(_Piece(piece.after[cut - pos :]) if cut > pos else piece)
        else:
            out.append(piece)
        pos += size
    return out


def _pieces(leaf: Leaf) -> list[_Piece]:
    """``leaf.value`` cut into plain and repaired runs, its repairs replayed in order
    (one plain run when the repairs do not fit the value)."""
    plain = [_Piece(leaf.value)] if leaf.value else []
    if not leaf.repairs:
        return plain
    try:
        original, offsets = undo_offsets(leaf)
    except RepairError:
        return plain
    pieces = [_Piece(original)] if original else []
    for run in _runs(leaf, offsets):
        done = _apply_run(pieces, run)
        if done is None:  # two edits of the run inside one repaired piece: one at a time
            for edit in _run_offsets(run):
                one = _apply_run(pieces, [edit])
                assert one is not None  # a single edit always applies
                pieces = one
        else:
            pieces = done
    pieces = [p for p in pieces if p.after or p.before]
    if "".join(p.after for p in pieces) != leaf.value or "".join(
        p.after if p.before is None else p.before for p in pieces
    ) != original:
        return plain  # never write text the tree does not hold
    return pieces


# --------------------------------------------------------------------------- text


def _text(elem: ET.Element, text: str) -> None:
    """Append ``text`` to the mixed content of ``elem``."""
    if not text:
        return
    if len(elem):
        last = elem[-1]
        last.tail = (last.tail or "") + text
    else:
        elem.text = (elem.text or "") + text


class _Writer:
    """Builds the TEI of one document; the repair plugins it names (their ``respStmt``
    ids) are shared by the text and the header."""

    def __init__(self, doc: Document, normalizations: Collection[str] = NORMALIZATIONS) -> None:
        self.doc = doc
        self.normalizations = frozenset(normalizations)
        self.mappings = _tei_mappings()
        self.context = TeiContext(self)
        self.plugins: dict[str, str] = {}  # plugin name -> version, in the order they ran
        for entry in doc.data.get("docparse", {}).get("plugins", []) if isinstance(doc.data, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                self.plugins[entry["name"]] = str(entry.get("version", ""))

    @staticmethod
    def resp_id(plugin: str) -> str:
        return f"repair-{plugin}"

    def pieces(self, elem: ET.Element, pieces: Iterable[_Piece]) -> None:
        for piece in pieces:
            if piece.before is None:
                _text(elem, piece.after)
                continue
            for plugin in piece.plugins:
                self.plugins.setdefault(plugin, "")
            # a regularization (every plugin of the piece normalizes): <orig>/<reg>;
            # a correction of a misreading: <sic>/<corr>
            regular = all(p in self.normalizations for p in piece.plugins)
            choice = _sub(elem, "choice")
            sic = _sub(choice, "orig" if regular else "sic")
            sic.text = piece.before or None
            corr = _sub(
                choice,
                "reg" if regular else "corr",
                resp=" ".join(f"#{self.resp_id(p)}" for p in piece.plugins),
                cert=f"{piece.confidence:g}",
            )
            corr.text = piece.after or None

    def leaf(self, elem: ET.Element, leaf: Leaf) -> None:
        self.pieces(elem, _pieces(leaf))

    # ----------------------------------------------------------------- the parts

    def dateline(self, parent: ET.Element, node: Date, language: str | None) -> None:
        line = _sub(parent, "dateline")
        pieces = _pieces(node)
        iso, span = _date_span(node, language)
        if iso is None:
            self.pieces(line, pieces)
            return
        if span is not None:
            start, end = span
            pieces = _cut_all(pieces, (start, end))
            bounds, pos = {0}, 0
            for piece in pieces:
                pos += len(piece.after)
                bounds.add(pos)
            if start in bounds and end in bounds:
                before: list[_Piece] = []
                inside: list[_Piece] = []
                after: list[_Piece] = []
                pos = 0
                for piece in pieces:
                    (before if pos < start else inside if pos < end else after).append(piece)
                    pos += len(piece.after)
                self.pieces(line, before)
                self.pieces(_sub(line, "date", when=iso), inside)
                self.pieces(line, after)
                return
        # the date cannot be cut out of the line (a repair runs across its edge, or it
        # was dated from hints the line does not show): the whole line is the date
        self.pieces(_sub(line, "date", when=iso), pieces)

    def address(self, parent: ET.Element, node: Address) -> None:
        lines = [c for c in node.children if isinstance(c, Leaf)]
        if not lines:
            return
        address = _sub(parent, "address")
        for line in lines:
            mapping = self.mappings.get(line.type)
            if mapping is not None:
                mapping.write(self.context, address, line)
            else:
                self.leaf(_sub(address, "addrLine"), line)

    def signed(self, parent: ET.Element, node: Signatory) -> None:
        signed = _sub(parent, "signed")
        for i, child in enumerate(c for c in node.children if isinstance(c, Leaf)):
            if i:
                _sub(signed, "lb")
            name = "persName" if isinstance(child, Name) else "roleName" if isinstance(child, Title) else None
            self.leaf(signed if name is None else _sub(signed, name), child)

    def page_header(self, parent: ET.Element, node: PageHeader) -> None:
        attrs = {"type": "header"}
        if node.page is not None:
            attrs["n"] = str(node.page)
        fw = _sub(parent, "fw", **attrs)
        pieces = _pieces(node)
        # the header's lines are joined with " / " in the value: each becomes a line
        for piece in pieces:
            if piece.before is None and " / " in piece.after:
                parts = piece.after.split(" / ")
                for k, part in enumerate(parts):
                    if k:
                        _sub(fw, "lb")
                    _text(fw, part)
            else:
                self.pieces(fw, [piece])

    def anywhere(self, parent: ET.Element, node: Node, next_page: int | None) -> None:
        """A node TEI allows anywhere: page breaks, running headers, notes."""
        if isinstance(node, PageBreak):
            _sub(parent, "pb", **({"n": str(next_page)} if next_page is not None else {}))
        elif isinstance(node, PageHeader):
            self.page_header(parent, node)
        elif node.type in self.mappings:
            self.mappings[node.type].write(self.context, parent, node)
        elif isinstance(node, Leaf):
            kind = ("enclosure" if isinstance(node, Enclosure) else "copy" if isinstance(node, Copy)
                    else "quote" if isinstance(node, Quote)
                    else "email-signature" if isinstance(node, EmailSignature) else "unclassified")
            self.leaf(_sub(parent, "note", type=kind), node)

    def other(self, parent: ET.Element, node: Node) -> None:
        """A plugin's own node type: a leaf as a note, a parent's leaves one after another."""
        if isinstance(node, Leaf):
            self.leaf(_sub(parent, "note", type=node.type), node)
        elif isinstance(node, Parent):
            for child in node.children:
                self.other(parent, child)

    # ----------------------------------------------------------------- a letter

    def letter(self, body: ET.Element, letter: Letter, number: int) -> None:
        attrs = {"type": "letter", _XML_ID: f"letter-{number}"}
        if letter.language:
            attrs[_XML_LANG] = letter.language
        div = _sub(body, "div", **attrs)
        children = list(letter.children)
        pages = _page_numbers(children)
        phase = "top"
        body_text = False
        group: ET.Element | None = None  # the open opener or closer
        pending: list[Node] = []  # nodes allowed anywhere, waiting for their container

        def flush(into: ET.Element) -> None:
            for node in pending:
                self.anywhere(into, node, pages.get(id(node)))
            pending.clear()

        # paragraph id -> its pieces and page turns; ids of the nodes written inside one
        inside: dict[int, tuple[list[_Piece], list[tuple[int, list[Node]]]]] = {}
        taken: set[int] = set()
        source = self.doc.source.text if self.doc.source is not None else None
        for k, node in enumerate(children):
            if isinstance(node, Paragraph):
                # (the siblings after it read lazily: a slice per paragraph copied the rest of
                # the letter each time, quadratic in a letter of many pages)
                found = _page_turns(node, (children[j] for j in range(k + 1, len(children))), source)
                if found is not None:
                    inside[id(node)] = found
                    taken.update(id(n) for _, nodes in found[1] for n in nodes)

        def paragraph(elem: ET.Element, node: Leaf) -> None:
            if id(node) not in inside:
                self.leaf(elem, node)
                return
            pieces, turns = inside[id(node)]
            offsets = _as_read_to_pieces(pieces, [at for at, _ in turns])
            done = 0
            for (_, nodes), cut in zip(turns, offsets):
                self.pieces(elem, pieces[done:cut])
                done = cut
                for turn in nodes:
                    self.anywhere(elem, turn, pages.get(id(turn)))
            self.pieces(elem, pieces[done:])

        self.context.language = letter.language
        for node in children:
            if id(node) in taken:
                continue
            zone = self.mappings[node.type].zone if node.type in self.mappings else None
            if isinstance(node, _ANYWHERE) or zone == "anywhere":
                pending.append(node)
                continue
            if phase == "top" and zone == "opener":
                if group is None:
                    flush(div)
                    group = _sub(div, "opener")
                flush(group)
                self.mappings[node.type].write(self.context, group, node)
                continue
            if phase == "top" and isinstance(node, _OPENER_TYPES):
                if group is None:
                    flush(div)
                    group = _sub(div, "opener")
                flush(group)
                self.opener_part(group, node, letter.language)
                continue
            if phase == "top":
                phase, group = "body", None
            if phase == "body" and isinstance(node, Paragraph):
                flush(div)
                paragraph(_sub(div, "p"), node)
                body_text = True
                continue
            if phase == "body" and zone == "body":
                flush(div)
                self.mappings[node.type].write(self.context, div, node)
                body_text = True
                continue
            if phase != "bottom" and not body_text:
                # TEI puts a division's closing parts after some body: a letter of no
                # paragraph gets an empty one
                flush(div)
                _sub(div, "p")
            phase = "bottom"
            if zone == "closer":
                if group is None:
                    flush(div)
                    group = _sub(div, "closer")
                flush(group)
                self.mappings[node.type].write(self.context, group, node)
            elif isinstance(node, _CLOSER_TYPES):
                if group is None:
                    flush(div)
                    group = _sub(div, "closer")
                flush(group)
                self.closer_part(group, node, letter.language)
            elif isinstance(node, (Postscript, Paragraph)):
                flush(div)
                group = None
                paragraph(_sub(_sub(div, "postscript"), "p"), node)
            else:
                flush(div)
                group = None
                self.other(div, node)
        flush(div)

    def opener_part(self, opener: ET.Element, node: Node, language: str | None) -> None:
        if isinstance(node, Date):
            self.dateline(opener, node, language)
        elif isinstance(node, Address):
            self.address(opener, node)
        elif isinstance(node, Reference):
            self.leaf(_sub(opener, "seg", type="reference"), node)
        elif isinstance(node, Salutation):
            self.leaf(_sub(opener, "salute"), node)

    def closer_part(self, closer: ET.Element, node: Node, language: str | None) -> None:
        if isinstance(node, (Closing, Salutation)):
            self.leaf(_sub(closer, "salute"), node)
        elif isinstance(node, Date):
            self.dateline(closer, node, language)
        elif isinstance(node, Address):
            self.address(closer, node)
        elif isinstance(node, Signature):
            for child in node.children:
                if isinstance(child, Signatory):
                    self.signed(closer, child)
                elif isinstance(child, Address):
                    self.address(closer, child)
                elif isinstance(child, Leaf):
                    self.leaf(_sub(closer, "signed"), child)  # a name or title outside a signatory


class TeiContext:
    """What a format plugin's TEI mapping (:class:`docparse.grammar.TeiMapping`) writes
    with: elements in the TEI namespace, leaf values with their repairs, date lines."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer
        #: the language of the letter being written (``xml:lang``), or None
        self.language: str | None = None

    def element(self, parent: ET.Element, name: str, **attrib: str) -> ET.Element:
        """A new TEI element ``name`` at the end of ``parent``."""
        return _sub(parent, name, **attrib)

    def append(self, elem: ET.Element, text: str) -> None:
        """Plain ``text`` at the end of ``elem``'s content."""
        _text(elem, text)

    def text(self, elem: ET.Element, leaf: Leaf) -> None:
        """``leaf``'s value at the end of ``elem``, each repair a ``<choice>``."""
        self._writer.leaf(elem, leaf)

    def dateline(self, parent: ET.Element, leaf: Leaf) -> None:
        """``<dateline>`` of ``leaf`` (a leaf with an ``iso`` date: its date part in
        ``<date when="...">``)."""
        if isinstance(leaf, Date):
            self._writer.dateline(parent, leaf, self.language)
            return
        iso = getattr(leaf, "iso", None)
        line = _sub(parent, "dateline")
        self._writer.leaf(_sub(line, "date", when=iso) if iso else line, leaf)


def _tei_mappings() -> dict[str, TeiMapping]:
    """The TEI mappings of the installed format plugins (none when they cannot be composed)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GrammarPluginWarning)
            return installed().tei
    except PluginError:
        return {}


def _page_turns(
    node: Leaf, after: Iterable[Node], source: str | None
) -> tuple[list[_Piece], list[tuple[int, list[Node]]]] | None:
    """The pages a paragraph runs across: its pieces (:func:`_pieces`) and, for each page
    turn inside it (the page breaks and running headers that follow it in the tree but
    stand inside its span of the source, as the parser and the ``paragraphs`` plugin place
    them), the offset in its text as read where the next page's text starts, with those
    nodes. None when there is none, or when the text before a turn cannot be matched with
    its source (then they follow it)."""
    position = node.position
    if position is None or source is None:
        return None
    start, end = position.start.offset, position.end.offset
    inside: list[Node] = []
    for sibling in after:
        where = sibling.position
        if not isinstance(sibling, _ANYWHERE) or where is None or not start < where.start.offset < end:
            break
        inside.append(sibling)
    if not inside:
        return None
    pieces = _pieces(node)
    as_read = "".join(p.after if p.before is None else p.before for p in pieces)
    turns: list[tuple[int, list[Node]]] = []
    text: list[str] = []  # the paragraph's source up to the turn, without the headers before it
    cursor = start
    for sibling in inside:
        where = sibling.position
        assert where is not None
        text.append(source[cursor : where.start.offset])
        cursor = max(cursor, where.end.offset)
        before = " ".join("".join(text).split())
        at = len(before) + 1 if before else 0
        if as_read[: len(before)] != before or (before and as_read[len(before) : at] not in (" ", "")):
            return None
        if turns and turns[-1][0] == at:
            turns[-1][1].append(sibling)  # a break and its header: one turn
        else:
            turns.append((at, [sibling]))
    return pieces, turns


def _as_read_to_pieces(pieces: list[_Piece], offsets: Sequence[int]) -> list[int]:
    """For each offset into the text as read (sorted), the index of the first piece at or
    after it; ``pieces`` are cut in place so that an offset inside a plain piece falls on a
    piece's start (an offset inside a repaired piece goes after that piece)."""
    out: list[int] = []
    i = 0
    read = 0  # offset, in the text as read, where pieces[i] starts
    for at in offsets:
        while i < len(pieces):
            piece = pieces[i]
            size = len(piece.after if piece.before is None else piece.before)
            if read + size <= at:
                read += size
                i += 1
                continue
            if read < at:  # the piece holds the offset
                if piece.before is None:
                    cut = at - read
                    pieces[i : i + 1] = [_Piece(piece.after[:cut]), _Piece(piece.after[cut:])]
                    read += cut
                else:
                    read += size
                i += 1
            break
        out.append(i)
    return out


def _page_numbers(children: Sequence[Node]) -> dict[int, int]:
    """For each page break among ``children``: the page it starts (id -> number), from the
    running header after it, else one more than the page before."""
    # the first node after each position that is not a page break, found in one backward
    # pass (a search from each break, over a copy of the rest, was quadratic in the breaks)
    after: list[Node | None] = [None] * len(children)
    nxt: Node | None = None
    for i in range(len(children) - 1, -1, -1):
        after[i] = nxt
        if not isinstance(children[i], PageBreak):
            nxt = children[i]
    out: dict[int, int] = {}
    page = 1
    for i, node in enumerate(children):
        if isinstance(node, PageBreak):
            nxt = after[i]
            page = nxt.page if isinstance(nxt, PageHeader) and nxt.page is not None else page + 1
            out[id(node)] = page
        elif isinstance(node, PageHeader) and node.page is not None:
            page = node.page
    return out


def _date_span(node: Date, language: str | None) -> tuple[str | None, tuple[int, int] | None]:
    """The date's ISO form and where it stands in the value (None: not found there)."""

    recorded = node.data.get("dates")
    hints = {
        k: v for k, v in (recorded.items() if isinstance(recorded, dict) else ())
        if k in ("century", "default_year") and isinstance(v, int)
    }
    try:
        found = find_dates(node.value, language, **hints)
    except UsageError:  # a language dateparser has no data for
        found = []
    if found:
        start, end, iso = found[0]
        if node.iso is None or node.iso == iso:
            return iso, (start, end)
    return node.iso, None


# --------------------------------------------------------------------------- header


def _letter_date(letter: Letter) -> str | None:
    for node in letter.walk():
        if isinstance(node, Date) and node.iso:
            return node.iso
    entry = letter.data.get("dates")
    if isinstance(entry, dict) and isinstance(entry.get("iso"), str):
        return entry["iso"]
    return None


def _header(writer: _Writer, tei: ET.Element, letters: Sequence[Letter]) -> None:
    doc = writer.doc
    source = doc.source
    name = source.name if source is not None and source.name else "untitled"
    header = _sub(tei, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title").text = name
    for plugin, version in writer.plugins.items():
        resp_stmt = _sub(title_stmt, "respStmt", **{_XML_ID: writer.resp_id(plugin)})
        _sub(resp_stmt, "resp").text = f"repairs by the plugin {plugin}" + (f" (version {version})" if version else "")
        _sub(resp_stmt, "name").text = "docparse"
    _sub(_sub(file_desc, "publicationStmt"), "p").text = (
        f"Unpublished: converted by docparse {__version__} from its docparse/1 tree."
    )
    described = [name]
    if source is not None:
        if source.sha256:
            described.append(f"SHA-256 {source.sha256}")
        if source.encoding:
            described.append(f"encoding {source.encoding}")
        if source.length is not None:
            described.append(f"{source.length} characters")
    _sub(_sub(file_desc, "sourceDesc"), "p").text = "; ".join(described) + "."
    profile: ET.Element | None = None
    for number, letter in enumerate(letters, 1):
        names = [n for n in letter.walk() if isinstance(n, Name)]
        top = _opening(letter)
        senders = [a for a in top if isinstance(a, Address) and a.role == "sender"]
        recipients = [a for a in top if isinstance(a, Address) and a.role != "sender"]
        date = _letter_date(letter)
        if not (names or date or senders or recipients):
            continue
        if profile is None:
            profile = _sub(header, "profileDesc")
        corresp = _sub(profile, "correspDesc", corresp=f"#letter-{number}")
        if names or date or senders:
            action = _sub(corresp, "correspAction", type="sent")
            for name_node in names:
                _sub(action, "persName").text = name_node.value
            for address in senders[:1]:
                _plain_address(action, address)
            if date:
                _sub(action, "date", when=date)
        if recipients:
            _plain_address(_sub(corresp, "correspAction", type="received"), recipients[0])


def _opening(letter: Letter) -> list[Node]:
    """The letter's children before its first paragraph, closing, signature or postscript."""
    out: list[Node] = []
    for node in letter.children:
        if isinstance(node, (Paragraph, Closing, Signature, Postscript)):
            break
        out.append(node)
    return out


def _plain_address(parent: ET.Element, address: Address) -> None:
    """An address as its lines now read (no repair markup: the header describes)."""
    lines = [c.value for c in address.children if isinstance(c, Leaf)]
    if lines:
        element = _sub(parent, "address")
        for line in lines:
            _sub(element, "addrLine").text = line


# --------------------------------------------------------------------------- entry

#: elements that hold only elements here: indented; all others hold text, where added
#: whitespace could split a word, and are written as they are
_BLOCKS = frozenset(
    _tag(name)
    for name in (
        "TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "sourceDesc",
        "profileDesc", "correspDesc", "correspAction", "text", "body", "div", "opener", "closer",
        "address", "postscript",
    )
)  # fmt: skip


#: characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF):
#: written as U+FFFD, the replacement character (the JSON keeps them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _indent(elem: ET.Element, level: int = 0) -> None:
    if elem.tag not in _BLOCKS or not len(elem):
        return
    inner = "\n" + "  " * (level + 1)
    elem.text = inner
    for child in elem:
        _indent(child, level + 1)
        child.tail = inner
    elem[-1].tail = "\n" + "  " * level


def to_tei(tree: Document | Letter, *, header: bool = True,
           normalizations: Collection[str] = NORMALIZATIONS) -> str:
    """``tree`` as a TEI P5 document (see the module docstring), an XML string.

    ``header=False`` leaves out the ``teiHeader`` (for embedding the ``<text>``
    elsewhere; the result is then not a valid TEI document on its own).
    ``normalizations``: the repair plugins whose changes are regularizations
    (``<orig>/<reg>``; the others' are corrections, ``<sic>/<corr>``).

    >>> from docparse import parse
    >>> xml = to_tei(parse("Dear Ann,\\n\\nAll is well.\\n\\nYours,\\nBen\\n"), header=False)
    >>> "<salute>Dear Ann,</salute>" in xml and "<signed><persName>Ben</persName></signed>" in xml
    True
    """
    if isinstance(tree, Letter):
        tree = Document(children=(tree,))
    if not isinstance(tree, Document):
        raise TypeError(f"to_tei() takes a Document or a Letter, not {type(tree).__name__}")
    ET.register_namespace("", TEI_NS)
    writer = _Writer(tree, normalizations)
    tei = ET.Element(_tag("TEI"))
    text = ET.Element(_tag("text"))
    body = _sub(text, "body")
    letters = [c for c in tree.children if isinstance(c, Letter)]
    number = 0
    for child in tree.children:
        if isinstance(child, Letter):
            number += 1
            writer.letter(body, child, number)
        elif isinstance(child, _ANYWHERE):
            writer.anywhere(body, child, None)
        else:
            writer.other(body, child)
    if body.find(_tag("div")) is None and body.find(_tag("p")) is None:
        _sub(body, "p")  # a TEI body holds a division or a paragraph: without a letter, an empty one
    if header:
        _header(writer, tei, letters)  # after the text: it lists the plugins the text used
    tei.append(text)
    _indent(tei)
    xml = ET.tostring(tei, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _NOT_XML.sub("\ufffd", xml) + "\n"
