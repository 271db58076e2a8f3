"""Recording and undoing repairs: the one door through which plugins change text.

Every text change a repair plugin makes goes through :func:`apply_edits`, which edits
a leaf's ``value`` and records a :class:`~docparse.nodes.Repair` in the leaf's
``repairs`` *at the same time*, so the recorded path is the easy path::

    >>> from docparse.edits import Edit
    >>> leaf = Paragraph(value="Thank yuo for your letter.")
    >>> fixed = apply_edits(leaf, [Edit(6, 9, "yuo", "you", 0.9)], plugin="spelling")
    >>> fixed.value
    'Thank you for your letter.'
    >>> undo_leaf(fixed).value
    'Thank yuo for your letter.'

Offsets. An :class:`~docparse.edits.Edit` counts in the leaf's *current* value. A
:class:`Repair` records both the span in the ORIGINAL source (``start``/``end``, what
a reader or an editor wants) and ``value_offset``, where the change sits in the value
as it was just before the repair (what undo needs: text inserted by an earlier repair
has no source offset of its own). The source span is found by aligning the leaf's
*unrepaired* value (undo its repairs) with the source lines under its position: the
parser strips each line and joins them with a single space (`` / `` for running
headers); lines that do not belong to the value (a running header inside a
paragraph) are skipped. Where that alignment fails (the parser rewrote text in a way
this module does not know), or the document carries no source text, the repair gets
the whole span of the node: still correct, only less precise.

Structure. :func:`join_leaves` joins leaves split by other nodes (a paragraph split by
a page break) and records the split under ``data["docparse"]["join"]`` so that
:func:`unrepair` can restore it.

:func:`unrepair` gives back the tree as parsed: every text repair undone, every join
split again, every ``repairs`` list empty. Annotations that plugins add without
changing text (``Date.iso``, entries in ``data``) stay: they are meaning, not repairs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from ._memo import by_identity
from .edits import Edit
from .lines import split_lines
from .nodes import Document, Leaf, Node, Parent, Point, Position, Repair
from .visitor import Transformer

__all__ = [
    "apply_edits",
    "join_leaves",
    "join_record",
    "leaves",
    "undo_leaf",
    "undo_offsets",
    "unrepair",
    "RepairError",
    "source_span",
    "skeleton",
]

L = TypeVar("L", bound=Leaf)

#: the core's own key in a node's ``data`` (not a valid plugin name's namespace clash:
#: plugin names may not be "docparse")
CORE_KEY = "docparse"
JOIN_KEY = "join"
#: key in a letter's ``data["docparse"]``: its ``language`` as parsed, where repairs changed it
PARSED_LANGUAGE_KEY = "parsed-language"

# Separators the parser (and join_leaves) put between the lines of one value.
_SEPARATORS = (" ", " / ", "")


class RepairError(ValueError):
    """A recorded repair that does not match its node (the tree was changed behind the
    recorder's back), or an edit that does not match the value it claims to change."""


@by_identity(64)
def leaves(node: Node) -> tuple[Leaf, ...]:
    """The leaves under ``node`` (itself, if a leaf), in document order: the leaves of
    ``node.walk()``, gathered without a generator per node and remembered for the last
    nodes asked about (nodes are frozen: the plugins of one run ask about the same
    letter again and again, and a clean letter's repairs are little more than walks)."""
    out: list[Leaf] = []
    stack: list[Node] = [node]
    pop, push, add = stack.pop, stack.extend, out.append
    while stack:
        n = pop()
        if isinstance(n, Parent):
            push(reversed(n.children))
        elif isinstance(n, Leaf):
            add(n)
    return tuple(out)


# --------------------------------------------------------------------------- undo


def undo_offsets(leaf: Leaf) -> tuple[str, list[int]]:
    """The leaf's value with its recorded repairs undone (last first), and where each
    repair stood: the offset of its ``after`` in the value as it was just after it (which is
    where its ``before`` stood just before it).

    Raises :class:`RepairError` when a recorded repair does not match the value.
    """
    value = leaf.value
    offsets = [0] * len(leaf.repairs)
    for k in range(len(leaf.repairs) - 1, -1, -1):
        r = leaf.repairs[k]
        at = r.value_offset
        if at is None:
            # A repair recorded by hand without value_offset: undo it only when its
            # text can be found without guessing.
            if value.count(r.after) != 1:
                raise RepairError(
                    f"{leaf.type} repair #{k} by {r.plugin!r} ({r.before!r} -> {r.after!r}) has no "
                    "value_offset and its text is not unique in the value; record repairs with "
                    "docparse.repair.apply_edits"
                )
            at = value.index(r.after)
        if value[at : at + len(r.after)] != r.after:
            raise RepairError(
                f"{leaf.type} repair #{k} by {r.plugin!r} expects {r.after!r} at value offset {at} "
                f"but the value has {value[at : at + len(r.after)]!r}: the value was changed "
                "without a recorded repair"
            )
        offsets[k] = at
        value = value[:at] + r.before + value[at + len(r.after) :]
    return value, offsets


def _undo_value(leaf: Leaf) -> str:
    """The leaf's value with all its recorded repairs undone, last first."""
    return undo_offsets(leaf)[0]


def undo_leaf(leaf: L) -> L:
    """``leaf`` with its recorded text repairs undone and its ``repairs`` emptied.

    ``Paragraph("Thank you", repairs=[yuo->you])`` -> ``Paragraph("Thank yuo")``.
    Raises :class:`RepairError` when a recorded repair does not match the value.
    """
    if not leaf.repairs:
        return leaf
    return leaf.evolve(value=_undo_value(leaf), repairs=())


# ------------------------------------------------------------------ value -> source


def _match_line(
    content: str, offset: int, value: str, i: int
) -> tuple[int, list[tuple[int, int]]] | None:
    """Match one stripped source line (``content`` at source ``offset``) against
    ``value[i:]``; a run of spaces in the line may stand for one space in the value.
    Returns the value index after the line and the source span of each value char."""
    spans: list[tuple[int, int]] = []
    k = 0
    n = len(value)
    while k < len(content):
        if i >= n:
            return None
        c = content[k]
        if c.isspace():
            run = k
            while run < len(content) and content[run].isspace():
                run += 1
            vrun = i
            while vrun < n and value[vrun].isspace():
                vrun += 1
            if vrun == i:
                return None
            if vrun - i == run - k:
                spans.extend((offset + k + d, offset + k + d + 1) for d in range(run - k))
                i = vrun
            elif vrun - i == 1:
                spans.append((offset + k, offset + run))
                i += 1
            else:
                return None
            k = run
        elif value[i] == c:
            spans.append((offset + k, offset + k + 1))
            i += 1
            k += 1
        else:
            return None
    return i, spans


@functools.lru_cache(maxsize=4096)
def _align(value: str, source: str, start: int, end: int) -> tuple[tuple[int, int], ...] | None:
    """Source span of each character of ``value`` (an unrepaired leaf value built
    from ``source[start:end]``), or None when the value cannot be aligned.

    A small dynamic programme over (source line, value index): each non-blank line is
    either part of the value (preceded by a separator when it is not the first) or
    skipped (a running header inside a paragraph). Matching is preferred to skipping.
    """
    lines: list[tuple[int, str]] = []
    for ls, le, _ in split_lines(source[start:end]):
        raw = source[start + ls : start + le]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((start + ls + lead, stripped))
    n = len(value)
    if len(lines) > _DP_LINES:
        found = _align_every_line(value, lines)
        if found is not None or len(lines) > _DP_MAX_LINES:
            return found
    # state: value index reached after processing lines[:li]; back[(li, i)] = (prev_i, spans)
    frontier: dict[int, tuple[int, list[tuple[int, int]], int] | None] = {0: None}
    history: list[dict[int, tuple[int, list[tuple[int, int]], int] | None]] = [frontier]
    line_ends = [off + len(text) for off, text in lines]
    for li, (off, text) in enumerate(lines):
        nxt: dict[int, tuple[int, list[tuple[int, int]], int] | None] = {}
        for i in sorted(frontier):
            # where the previous matched line ended, for separator spans
            gap_start = _last_end(history, li, i, line_ends)
            seps = ("",) if i == 0 else _SEPARATORS
            for sep in seps:
                if not value.startswith(sep, i):
                    continue
                got = _match_line(text, off, value, i + len(sep))
                if got is None:
                    continue
                j, spans = got
                if j in nxt:
                    continue
                gs = gap_start if gap_start is not None else off
                sep_spans = [(gs, off)] * len(sep)
                nxt[j] = (i, sep_spans + spans, 1)
        for i in frontier:
            nxt.setdefault(i, (i, [], 0))
        frontier = nxt
        history.append(frontier)
    if n not in frontier:
        return None
    out: list[list[tuple[int, int]]] = []
    i = n
    for li in range(len(lines), 0, -1):
        entry = history[li][i]
        assert entry is not None
        prev_i, spans, _matched = entry
        out.append(spans)
        i = prev_i
    if i != 0:
        return None
    result = tuple(span for chunk in reversed(out) for span in chunk)
    return result if len(result) == n else None


#: a leaf of more lines than this is aligned line after line (:func:`_align_every_line`)
#: first, not by the dynamic programme, whose states grow as the square of the lines
#: when many lines are alike (400 look-alike lines took 75 s and 300 MB, 30,000 took
#: gigabytes; found by scripts/growth.py and scripts/fuzz.py). Where every line is part
#: of the value, both give the same spans (checked over the corpus).
_DP_LINES = 40
#: ... and one of more lines than this, when not every line is part of its value (a
#: running header inside it), is not aligned at all (its repairs get its whole span)
_DP_MAX_LINES = 400


def _align_every_line(value: str, lines: list[tuple[int, str]]) -> tuple[tuple[int, int], ...] | None:
    """:func:`_align` for a leaf whose every non-blank line is part of its value (a long
    paragraph): each line matched in turn, after a separator; None when one does not
    match (then the leaf's repairs get its whole span, as for any leaf not aligned)."""
    n = len(value)
    spans: list[tuple[int, int]] = []
    i = 0
    gap_start: int | None = None
    for off, text in lines:
        got = None
        for sep in ("",) if i == 0 else _SEPARATORS:
            if value.startswith(sep, i):
                got = _match_line(text, off, value, i + len(sep))
                if got is not None:
                    break
        if got is None:
            return None
        j, line_spans = got
        spans.extend([(gap_start if gap_start is not None else off, off)] * len(sep))
        spans.extend(line_spans)
        i = j
        gap_start = off + len(text)
    return tuple(spans) if i == n and len(spans) == n else None


def _last_end(
    history: list[dict[int, Any]], li: int, i: int, line_ends: list[int]
) -> int | None:
    """Source offset where the last line matched on the path to state (li, i) ended."""
    while li > 0:
        entry = history[li].get(i)
        if entry is None:
            return None
        prev_i, _spans, matched = entry
        if matched:
            return line_ends[li - 1]
        li -= 1
        i = prev_i
    return None


def _spans_for(leaf: Leaf, base: str, source: str | None) -> tuple[tuple[int, int], ...] | None:
    if source is None or leaf.position is None:
        return None
    start, end = leaf.position.start.offset, leaf.position.end.offset
    if end > len(source):
        return None
    return _align(base, source, start, end)


def _coarse(leaf: Leaf) -> tuple[int, int]:
    if leaf.position is None:
        return (0, 0)
    return (leaf.position.start.offset, leaf.position.end.offset)


def _to_base(leaf: Leaf, a: int, b: int) -> tuple[int, int]:
    """Map a span of the current value back into the unrepaired value."""
    for r in reversed(leaf.repairs):
        at = r.value_offset
        if at is None:
            continue
        la, lb = len(r.after), len(r.before)
        a, b = _back(a, at, la, lb, False), _back(b, at, la, lb, True)
        if b < a:
            b = a
    return a, b


def _back(x: int, at: int, la: int, lb: int, is_end: bool) -> int:
    """Offset ``x`` of a value before a repair at ``at`` that put ``la`` characters where
    ``lb`` stood (a place inside the repair goes to its start, or its end for an end)."""
    if x <= at:
        return x
    if x >= at + la:
        return x - la + lb
    return at + lb if is_end else at


def source_span(leaf: Leaf, start: int, end: int, source: str | None) -> tuple[int, int]:
    """The span of the ORIGINAL source behind ``leaf.value[start:end]``.

    Text inserted by earlier repairs maps to the source of what it replaced; without
    source text or an alignment, the whole span of the node.
    """
    base = _undo_value(leaf)
    spans = _spans_for(leaf, base, source)
    a, b = _to_base(leaf, start, end)
    if spans is None:
        return _coarse(leaf)
    if not spans:
        return _coarse(leaf)[0], _coarse(leaf)[0]
    if b > a:
        return spans[a][0], spans[b - 1][1]
    # an insertion: the point before character a
    if a < len(spans):
        return spans[a][0], spans[a][0]
    return spans[-1][1], spans[-1][1]


# ----------------------------------------------------------------------- record


def apply_edits(leaf: L, edits: Iterable[Edit], plugin: str, source: str | None = None) -> L:
    """Apply ``edits`` (offsets into ``leaf.value``) and record one Repair per edit.

    ``Paragraph("JIYKameHKo")`` + ``Edit(0, 10, "JIYKameHKo", "Лукашенко", 0.95)`` ->
    ``Paragraph("Лукашенко", repairs=[Repair(plugin, start, end, "JIYKameHKo",
    "Лукашенко", 0.95, value_offset=0)])`` where start/end point into ``source``.

    Edits must not overlap; each edit's ``before`` must match the value (else
    :class:`RepairError`). Edits that change nothing are dropped. Returns ``leaf``
    itself when nothing changes.
    """
    todo = sorted((e for e in edits if e.before != e.after), key=lambda e: (e.start, e.end))
    if not todo:
        return leaf
    value = leaf.value
    prev: Edit | None = None
    for e in todo:
        if e.end > len(value) or value[e.start : e.end] != e.before:
            raise RepairError(
                f"{plugin}: edit {e.start}..{e.end} expects {e.before!r} in the {leaf.type} "
                f"but the value has {value[e.start : e.end]!r}"
            )
        if prev is not None and (e.start < prev.end or e.start == prev.start == prev.end):
            raise RepairError(
                f"{plugin}: edits overlap in the {leaf.type}: {prev.start}..{prev.end} "
                f"and {e.start}..{e.end}"
            )
        prev = e
    new_repairs: list[Repair] = []
    shift = 0
    parts: list[str] = []
    pos = 0
    for e in todo:
        s, t = source_span(leaf, e.start, e.end, source)
        new_repairs.append(
            Repair(
                plugin=plugin,
                start=s,
                end=t,
                before=e.before,
                after=e.after,
                confidence=e.confidence,
                value_offset=e.start + shift,
            )
        )
        shift += len(e.after) - len(e.before)
        parts.append(value[pos : e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(value[pos:])
    return leaf.evolve(value="".join(parts), repairs=leaf.repairs + tuple(new_repairs))


# ------------------------------------------------------------------------- joins


def _pos_dict(pos: Position | None) -> dict[str, Any] | None:
    if pos is None:
        return None
    return {
        "start": [pos.start.line, pos.start.column, pos.start.offset],
        "end": [pos.end.line, pos.end.column, pos.end.offset],
    }


def _pos_from(obj: Any) -> Position | None:
    if obj is None:
        return None
    return Position(Point(*obj["start"]), Point(*obj["end"]))


def join_record(node: Node) -> Mapping[str, Any] | None:
    """The join record of ``node`` (see :func:`join_leaves`), or None."""
    core = node.data.get(CORE_KEY)
    if isinstance(core, Mapping):
        rec = core.get(JOIN_KEY)
        if isinstance(rec, Mapping):
            return rec
    return None


def _without_join(data: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(data)
    core = out.get(CORE_KEY)
    if isinstance(core, Mapping) and JOIN_KEY in core:
        core = {k: v for k, v in core.items() if k != JOIN_KEY}
        if core:
            out[CORE_KEY] = core
        else:
            del out[CORE_KEY]
    return out


def _union(positions: Sequence[Position | None]) -> Position | None:
    known = [p for p in positions if p is not None]
    if not known:
        return None
    return Position(min(p.start for p in known), max(p.end for p in known))


def join_leaves(
    parts: Sequence[L], gaps: Sequence[Sequence[Node]], plugin: str, separator: str = " "
) -> tuple[L, list[Node]]:
    """Join leaves of one type that other nodes split apart; record how to split them.

    ``parts`` are the leaves in document order; ``gaps[k]`` the sibling nodes between
    ``parts[k]`` and ``parts[k + 1]`` (a part that is itself a join keeps its moved
    nodes right after it, so they open its gap). Returns the joined leaf (value: the
    parts' values joined by ``separator``; position: their union; repairs: theirs,
    shifted) and the gap nodes, which go right after it::

        [Paragraph("we shall"), PageBreak(), PageHeader("- 2 -"), Paragraph("meet soon.")]
        -> [Paragraph("we shall meet soon."), PageBreak(), PageHeader("- 2 -")]
    """
    if len(parts) < 2 or len(gaps) != len(parts) - 1:
        raise ValueError("join_leaves needs at least two parts and one gap between each pair")
    cls = type(parts[0])
    if any(type(p) is not cls for p in parts):
        raise ValueError("join_leaves joins leaves of one type only")
    rec_parts: list[dict[str, Any]] = []
    moved: list[int] = []
    repairs: list[Repair] = []
    offset = 0
    for k, part in enumerate(parts):
        base = _undo_value(part)
        rec = join_record(part)
        if rec is not None:
            if rec.get("separator", " ") != separator:
                raise ValueError("cannot join leaves that were joined with another separator")
            rec_parts.extend(dict(p) for p in rec["parts"])
            moved.extend(rec["moved"])
            own_moved = sum(rec["moved"])
        else:
            rec_parts.append(
                {"length": len(base), "position": _pos_dict(part.position), "data": dict(part.data)}
            )
            own_moved = 0
        if k < len(gaps):
            extra = len(gaps[k]) - own_moved
            if extra < 0:
                raise ValueError("a gap is shorter than the nodes its part moved earlier")
            moved.append(extra)
        for r in part.repairs:
            repairs.append(
                r if r.value_offset is None else attrs.evolve(r, value_offset=r.value_offset + offset)
            )
        offset += len(part.value) + len(separator)
    record = {"plugin": plugin, "separator": separator, "parts": rec_parts, "moved": moved}
    data = _without_join(parts[0].data)
    core = dict(data.get(CORE_KEY) or {})
    core[JOIN_KEY] = record
    data[CORE_KEY] = core
    joined = parts[0].evolve(
        value=separator.join(p.value for p in parts),
        position=_union([p.position for p in parts]),
        repairs=tuple(repairs),
        data=data,
    )
    after = [node for gap in gaps for node in gap]
    return joined, after


def _split(leaf: Leaf, rec: Mapping[str, Any]) -> list[Leaf]:
    sep = rec.get("separator", " ")
    value = leaf.value
    out: list[Leaf] = []
    pos = 0
    for k, p in enumerate(rec["parts"]):
        length = int(p["length"])
        piece = value[pos : pos + length]
        if len(piece) != length:
            raise RepairError(f"{leaf.type} join record does not fit its value (part {k})")
        out.append(leaf.evolve(value=piece, position=_pos_from(p["position"]), data=p["data"], repairs=()))
        pos += length
        if k < len(rec["parts"]) - 1:
            if value[pos : pos + len(sep)] != sep:
                raise RepairError(f"{leaf.type} join record does not fit its value (separator {k})")
            pos += len(sep)
    if pos != len(value):
        raise RepairError(f"{leaf.type} join record does not fit its value (trailing text)")
    return out


def keep_parsed_language(before: Document, after: Document) -> Document:
    """``after`` (``before`` repaired) with the parsed ``language`` recorded in
    ``data["docparse"]["parsed-language"]`` of each letter whose language the repairs
    changed (the look-alike decoding makes an ``en`` letter ``ru``), so that
    :func:`unrepair` gives it back. A record already there (repairs run again) is kept."""
    if len(before.children) != len(after.children):
        return after
    children = list(after.children)
    changed = False
    for k, (old, new) in enumerate(zip(before.children, children)):
        lang_old = getattr(old, "language", None)
        lang_new = getattr(new, "language", None)
        if old is new or old.type != "letter" or new.type != "letter" or lang_old == lang_new:
            continue
        core = new.data.get(CORE_KEY)
        if isinstance(core, Mapping) and PARSED_LANGUAGE_KEY in core:
            continue
        data = dict(new.data)
        data[CORE_KEY] = {**(core if isinstance(core, Mapping) else {}), PARSED_LANGUAGE_KEY: lang_old}
        children[k] = new.evolve(data=data)
        changed = True
    return after.evolve(children=tuple(children)) if changed else after


def _parsed_language(node: Parent) -> Parent:
    """A letter with its parsed language back (see :func:`keep_parsed_language`)."""
    core = node.data.get(CORE_KEY)
    if not isinstance(core, Mapping) or PARSED_LANGUAGE_KEY not in core:
        return node
    data = dict(node.data)
    rest = {k: v for k, v in core.items() if k != PARSED_LANGUAGE_KEY}
    if rest:
        data[CORE_KEY] = rest
    else:
        del data[CORE_KEY]
    return node.evolve(data=data, language=core[PARSED_LANGUAGE_KEY])


class _Unrepair(Transformer):
    def generic_leave(self, original: Node, updated: Node) -> Any:
        if isinstance(updated, Leaf):
            return undo_leaf(updated)
        if isinstance(updated, Parent):
            if updated.type == "letter" and hasattr(updated, "language"):
                updated = _parsed_language(updated)
            children = list(updated.children)
            if not any(join_record(c) is not None for c in children) and not updated.repairs:
                return updated
            out: list[Node] = []
            i = 0
            while i < len(children):
                child = children[i]
                rec = join_record(child)
                if rec is None or not isinstance(child, Leaf):
                    out.append(child)
                    i += 1
                    continue
                pieces = _split(child, rec)
                i += 1
                for k, piece in enumerate(pieces):
                    out.append(piece)
                    if k < len(rec["moved"]):
                        count = int(rec["moved"][k])
                        out.extend(children[i : i + count])
                        i += count
            return updated.evolve(children=tuple(out), repairs=())
        if updated.repairs:
            return updated.evolve(repairs=())
        return updated


def unrepair(tree: Document) -> Document:
    """The tree as parsed: every recorded text repair undone, every join split, and the
    pipeline's record of which plugins ran (``data["docparse"]["plugins"]``) removed.

    Raises :class:`RepairError` when a recorded repair does not match its node.
    ``unrepair(run_repairs(doc).doc)`` has the same nodes, positions and values as
    ``doc`` (and equals it when the plugins added no annotations such as ``Date.iso``).
    """
    result = _Unrepair().transform(tree)
    assert isinstance(result, Document)
    core = result.data.get(CORE_KEY)
    if isinstance(core, Mapping) and "plugins" in core:
        data = dict(result.data)
        rest = {k: v for k, v in core.items() if k != "plugins"}
        if rest:
            data[CORE_KEY] = rest
        else:
            del data[CORE_KEY]
        result = result.evolve(data=data)
    return result


def skeleton(tree: Node) -> list[tuple[str, Any, str | None]]:
    """(type, position, value) of every node in document order: what text and structure
    a tree holds, without annotations. Used to check that plugins change text only
    through recorded repairs: ``skeleton(unrepair(out)) == skeleton(unrepair(in))``."""
    return [
        (n.type, n.position, n.value if isinstance(n, Leaf) else None) for n in tree.walk()
    ]
