"""The grammar front end: text -> layout tokens -> Lark LALR parse -> node tree.

The Lark parser is built once per set of grammars (cached on disk with Lark's
``cache=``) and fed the layout analyser's line tokens through a custom lexer; a
Lark ``Transformer`` builds the frozen nodes during the parse. If a letter's
tokens do not fit the grammar (messy real letters), that letter is parsed again
with every line as ``text`` -- the parse never fails on text.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any, NamedTuple, TypeVar

from lark import Lark, Transformer
from lark.exceptions import LarkError
from lark.parsers.lalr_analysis import Shift as _SHIFT

from . import nodes as N
from ._lark import TokenFeed as _TokenFeed
from ._lark import cache_path as _cache_path
from .cyrillic import decode, lookalike_score
from .dates import to_iso
from .grammar import installed, lexicon_patterns
from .layout import Lexicon, Tok, analyse, end_runs
from .source import LineIndex, span

__all__ = ["parse_text", "get_parser", "grammar_text"]

_LeafT = TypeVar("_LeafT", bound=N.Leaf)


def grammar_text() -> str:
    """The core grammar, read from the installed package."""
    from importlib.resources import files

    return files("docparse.grammars").joinpath("letter.lark").read_text(encoding="utf-8")


_LOCAL = threading.local()


@functools.lru_cache(maxsize=8)
def _lexicon(text: str) -> Lexicon:
    """The ``LEX_*`` line lexicons of a grammar (:func:`docparse.grammar.lexicon_patterns`),
    compiled."""
    return Lexicon(dict(lexicon_patterns(text)))


class _Parser(NamedTuple):
    """What one grammar's parse needs, built once per thread."""

    lark: Lark
    lexicon: Lexicon
    build: _Build
    runs: frozenset[str]  # line types read as one token per run (see _mergeable)


def get_parser(grammar: str | None = None, builders: Any = None) -> tuple[Lark, Lexicon]:
    """The LALR parser (building nodes during the parse) and the line lexicon of ``grammar``
    (default: the core grammar). One parser per thread and grammar; tables cached on disk.
    ``builders`` maps a grammar plugin's rule names to functions ``(build, items) -> node``."""
    found = _parser(grammar, builders)
    return found.lark, found.lexicon


def _parser(grammar: str | None = None, builders: Any = None) -> _Parser:
    text = grammar if grammar is not None else grammar_text()
    parsers = getattr(_LOCAL, "parsers", None)
    if parsers is None:
        parsers = _LOCAL.parsers = {}
    found = parsers.get(text)
    if found is None:
        builders = dict(builders or {})
        build = _Build()
        for rule, fn in builders.items():
            setattr(build, rule, functools.partial(fn, build))
        try:
            lark = Lark(text, parser="lalr", lexer=_TokenFeed, start="start", maybe_placeholders=False,
                        transformer=build, cache=_cache_path(text))
        except Exception:  # noqa: BLE001 - a broken cache must never stop a parse
            lark = Lark(text, parser="lalr", lexer=_TokenFeed, start="start", maybe_placeholders=False,
                        transformer=build)
        _inline_callbacks(lark)
        found = parsers[text] = _Parser(lark, _lexicon(text), build, _mergeable(text, builders))
    return found


#: core rules whose builder joins all the lines of its tokens into one leaf, and the
#: line type each reads as a run
_RUN_RULES = {
    "date": "DATE_LINE", "reference": "REF_LINE", "salutation": "SALUTATION_LINE",
    "paragraph": "PARA_LINE", "text": "TEXT_LINE", "closing": "CLOSING_LINE",
    "end_date": "END_DATE_LINE", "late_date": "LATE_DATE_LINE", "subject": "SUBJECT_LINE", "postscript": "PS_LINE",
}


def _mergeable(text: str, builders: dict[str, Any]) -> frozenset[str]:
    """Line types whose runs may reach the parser as one token holding all their lines.

    A type qualifies when the grammar reads it only as a run (``T+``, never a single
    ``T``) and only in a core rule built by the core builder (which joins the lines of
    all the rule's tokens): then a run of one token is parsed, and built, exactly as the
    run of one token per line. The parser then does one step per run instead of one
    per line. A grammar plugin that builds such a rule itself (for example one node per
    line) keeps one token per line.
    """
    body = "\n".join(ln for ln in text.splitlines()
                     if not ln.lstrip().startswith(("%", "//")) and not re.match(r"\s*LEX_", ln)
                     and not re.match(r"\s*(?:%extend|%override)\s+LEX_", ln))
    out = set()
    for rule, typ in _RUN_RULES.items():
        if rule in builders:
            continue
        uses = len(re.findall(rf"\b{typ}\b", body))
        runs = len(re.findall(rf"\b{typ}\+", body))
        if uses and uses == runs:
            out.add(typ)
    return frozenset(out)


def _merge_runs(toks: list[Tok], types: frozenset[str]) -> list[Tok]:
    """``toks`` with each run of same-type tokens of ``types`` as one token."""
    out: list[Tok] = []
    run: list[Tok] = []  # the run of same-type tokens of ``types`` being read

    def flush() -> None:
        if len(run) == 1:
            out.append(run[0])
        elif run:
            out.append(Tok(run[0].type, [ln for t in run for ln in t.lines]))
        run.clear()

    for t in toks:
        if t.type in types:
            if run and run[0].type != t.type:
                flush()
            run.append(t)
        else:
            flush()
            out.append(t)
    flush()
    return out


class _Inline:
    """The value of an inlined rule (``_rule``, or Lark's ``__x_plus`` for ``x+``): its
    parent's child filter only reads ``children``, so no ``Tree`` is needed."""

    __slots__ = ("children",)

    def __init__(self, children: list[Any]) -> None:
        self.children = children


def _inline_callbacks(lark: Lark) -> None:
    """Let inlined rules build :class:`_Inline` values instead of Lark trees.

    A ``_rule`` (and the helper rules Lark makes for ``x+`` and ``x*``) never reaches a
    transformer method: the parent rule's child filter splices its children in. Lark
    still builds a ``Tree`` for each reduction (one per line of a paragraph); a plain
    holder of the children does the same job at a fraction of the cost.
    """
    from lark.parse_tree_builder import ChildFilter

    callbacks = lark.parser.parser.parser.callbacks
    for rule, fn in list(callbacks.items()):
        if not rule.origin.name.startswith("_"):
            continue
        if isinstance(fn, ChildFilter):
            fn.node_builder = _Inline
        elif isinstance(fn, functools.partial) and fn.args == (rule.origin.name,):
            callbacks[rule] = _Inline


def _lookalike_tools() -> tuple[Any, Any]:
    """The look-alike detector and decoder the layout analysis is given."""
    return lookalike_score, decode


class _Build(Transformer):
    """Lark tree -> docparse nodes (runs inside the LALR parse)."""

    def __init__(self) -> None:
        super().__init__()
        self.index = LineIndex("")
        self.language: str | None = None

    def _pos(self, start: int, end: int) -> N.Position:
        return self.index.position(start, end)

    @staticmethod
    def _span(toks: list[Tok]) -> tuple[int, int]:
        """The source offsets from the first start to the last end of ``toks``."""
        return min(t.start for t in toks), max(t.end for t in toks)

    @staticmethod
    def _cover(nodes: list[Any]) -> N.Position | None:
        """The position running from the first start to the last end among ``nodes``
        (their own points, shared: points are frozen), or None if none has a position."""
        first: N.Point | None = None
        last: N.Point | None = None
        for n in nodes:
            p = n.position
            if p is None:
                continue
            if first is None or p.start.offset < first.offset:
                first = p.start
            if last is None or p.end.offset > last.offset:
                last = p.end
        return None if first is None or last is None else span(first, last)

    # -- helpers for grammar plugins' builders ---------------------------------
    def leaf(self, cls: type[N.Leaf], items: list[Any], **fields: Any) -> N.Leaf:
        """A leaf of ``cls`` over the lines of ``items`` (value: the lines joined by spaces)."""
        return self._leaf(cls, items, **fields)

    def parent(self, cls: type[N.Parent], items: list[Any], **fields: Any) -> N.Parent:
        """A parent of ``cls`` whose children are the nodes among ``items``."""
        kids = [it for it in items if isinstance(it, N.Node)]
        return cls(children=tuple(kids), position=self._cover(kids), **fields)

    def _leaf(self, cls: type[_LeafT], items: list[Any], **kw: Any) -> _LeafT:
        # (one pass over the tokens for the span and the words: this runs for every leaf)
        start = end = -1
        words: list[str] = []
        for t in items:
            if isinstance(t, Tok) and t.lines:
                if start < 0 or t.start < start:
                    start = t.start
                end = max(end, t.end)
                words += [ln.text for ln in t.lines if ln.text]
        if start < 0:
            raise ValueError(f"a {cls.type} node without source lines")
        return cls(value=" ".join(words), position=self.index.position(start, end), **kw)

    def start(self, items: list[Any]) -> list[N.Node]:
        return items

    def letter(self, items: list[Any]) -> N.Letter:
        children: list[N.Node] = []
        for it in items:
            if isinstance(it, list):
                children.extend(it)
            else:
                children.append(it)
        return N.Letter(children=tuple(children), position=self._cover(children))

    def date(self, items: list[Any]) -> N.Date:
        node = self._leaf(N.Date, items)

        iso = to_iso(node.value, self.language)
        return node.evolve(iso=iso) if iso else node

    end_date = date
    late_date = date

    def _address(self, items: list[Any], role: str) -> N.Address:
        lines = [self._leaf(N.AddressLine, [t]) for t in items]
        return N.Address(children=tuple(lines), role=role, position=self._cover(lines))

    def sender_address(self, items: list[Any]) -> N.Address:
        return self._address(items, "sender")

    def recipient_address(self, items: list[Any]) -> N.Address:
        return self._address(items, "recipient")

    def closer_address(self, items: list[Any]) -> N.Address:
        return self._address(items, "sender")

    def reference(self, items: list[Any]) -> N.Reference:
        return self._leaf(N.Reference, items)

    subject = reference

    def salutation(self, items: list[Any]) -> N.Salutation:
        return self._leaf(N.Salutation, items)

    def paragraph(self, items: list[Any]) -> list[N.Node]:
        # a paragraph running across a page: the text joins; the page nodes follow it
        para = self._leaf(N.Paragraph, items)
        if len(items) == 1:
            return [para]
        return [para, *(t for t in items if isinstance(t, N.Node))]

    def page_break(self, items: list[Any]) -> N.PageBreak:
        t = items[0]
        return N.PageBreak(position=self._pos(t.start, t.end))

    def page_header(self, items: list[Any]) -> N.PageHeader:
        toks = [t for t in items if isinstance(t, Tok)]
        lines = [ln for t in toks for ln in t.lines]
        value = " / ".join(ln.text for ln in lines)
        s, e = self._span(toks)
        return N.PageHeader(value=value, page=toks[0].page, position=self._pos(s, e))

    # a page turning between the closing and the signature (grammar: _turn)
    turn_break = page_break
    turn_header = page_header

    def closing(self, items: list[Any]) -> N.Closing:
        return self._leaf(N.Closing, items)

    def signature(self, items: list[Any]) -> N.Signature:
        kids = [it for it in items if isinstance(it, N.Node)]
        return N.Signature(children=tuple(kids), position=self._cover(kids))

    def signatory(self, items: list[Any]) -> N.Signatory:
        kids = [it for it in items if isinstance(it, N.Node)]
        return N.Signatory(children=tuple(kids), position=self._cover(kids))

    def name(self, items: list[Any]) -> N.Name:
        return self._leaf(N.Name, items)

    def title(self, items: list[Any]) -> N.Title:
        return self._leaf(N.Title, items)

    def postscript(self, items: list[Any]) -> list[N.Node]:
        # like a paragraph, a postscript may run across a page: its page nodes follow it
        toks = [t for t in items if isinstance(t, Tok)]
        pages = [t for t in items if isinstance(t, N.Node)]
        return [self._leaf(N.Postscript, toks), *pages]

    def enclosure(self, items: list[Any]) -> N.Enclosure:
        return self._leaf(N.Enclosure, items)

    def copy(self, items: list[Any]) -> N.Copy:
        return self._leaf(N.Copy, items)

    def quote(self, items: list[Any]) -> N.Quote:
        return self._leaf(N.Quote, items)

    def email_signature(self, items: list[Any]) -> N.EmailSignature:
        return self._leaf(N.EmailSignature, items)

    def text(self, items: list[Any]) -> N.Text:
        return self._leaf(N.Text, items)


def _fallback_tokens(toks: list[Tok]) -> list[Tok]:
    """Every line as ``text`` (page breaks kept): the tree for tokens the grammar refuses."""
    out: list[Tok] = []
    for t in toks:
        if t.type in ("PAGE_BREAK", "HEADER_LINE"):
            out.append(t)
        elif t.lines:
            for ln in t.lines:
                out.append(Tok("TEXT_LINE", [ln]))
    return end_runs(out)


class _Unexpected(Exception):
    """The grammar does not expect ``token`` here (``None``: the end of the letter)."""

    def __init__(self, token: Tok | None) -> None:
        super().__init__(token.type if token is not None else "$END")
        self.token = token


def _tables(lark: Lark) -> tuple[dict[Any, dict[str, tuple[Any, ...]]], Any, Any]:
    """Lark's LALR parse table, compiled for :func:`_lalr`: for each state and token type,
    ``(next_state,)`` to shift, or ``(size, callback, rule name)`` to reduce.

    The same table and callbacks as ``Lark.parse`` (so the grammar, its ``_rule``
    inlining and the transformer behave exactly the same), with the rule objects'
    attributes looked up once instead of at every reduction.
    """
    cached = getattr(lark, "_docparse_tables", None)
    if cached is not None:
        return cached
    inner = lark.parser.parser.parser
    table = inner.parse_table
    callbacks = inner.callbacks
    states: dict[Any, dict[str, tuple[Any, ...]]] = {}
    for state, actions in table.states.items():
        row: dict[str, tuple[Any, ...]] = {}
        for typ, (action, arg) in actions.items():
            if action is _SHIFT:
                row[typ] = (arg,)
            else:
                row[typ] = (len(arg.expansion), callbacks[arg], arg.origin.name)
        states[state] = row
    compiled = (states, table.start_states["start"], table.end_states["start"])
    lark._docparse_tables = compiled  # type: ignore[attr-defined]
    return compiled


#: the end of the token stream (Lark's ``$END``), fed after the last token
_END_OF_INPUT = Tok("$END")


def _lalr(lark: Lark, toks: list[Tok]) -> Any:
    """Run the LALR tables of ``lark`` over ``toks`` and return the start rule's value.

    This is the loop of Lark's own ``ParserState.feed_token`` without a lexer thread,
    a ``Token`` per line or a method call per token: our tokens are already typed, and
    the layout tokens (:class:`~docparse.layout.Tok`) are pushed as they are.
    """
    states, start, end_state = _tables(lark)
    state_stack = [start]
    value_stack: list[Any] = []
    for tok in (*toks, _END_OF_INPUT):
        typ = tok.type
        while True:
            action = states[state_stack[-1]].get(typ)
            if action is None or (len(action) == 1 and tok is _END_OF_INPUT):
                raise _Unexpected(None if tok is _END_OF_INPUT else tok)
            if len(action) == 1:
                state_stack.append(action[0])
                value_stack.append(tok)
                break
            size, callback, origin = action
            if size:
                args = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                args = []
            value_stack.append(callback(args))
            state_stack.append(states[state_stack[-1]][origin][0])
            if tok is _END_OF_INPUT and state_stack[-1] == end_state:
                return value_stack[-1]
    raise _Unexpected(None)  # pragma: no cover - the end of input always returns or raises above


def _parse_tokens(lark: Lark, toks: list[Tok], runs: frozenset[str] = frozenset()) -> Any:
    """Parse a letter's tokens; recover from a token the grammar does not expect by
    reading that line as ``text`` (or dropping a marker) and trying again.

    With ``runs`` (see :func:`_mergeable`), the runs of those line types are parsed as
    one token each first; where that fails, the letter is parsed line by line.
    """
    if runs:
        try:
            return _lalr(lark, _merge_runs(toks, runs))
        except _Unexpected:
            pass
    toks = list(toks)
    for _ in range(min(50, len(toks) + 1)):
        try:
            return _lalr(lark, toks)
        except _Unexpected as exc:
            bad = exc.token
            pos = next((i for i, t in enumerate(toks) if t is bad), None)
            if pos is None or bad is None:
                break
            if bad.lines and bad.type != "TEXT_LINE":
                toks[pos] = Tok("TEXT_LINE", bad.lines)
                toks = end_runs([t for t in toks if t.type != "_END"])
            elif not bad.lines:
                del toks[pos]
            else:
                break
        except LarkError:
            break
    return _lalr(lark, _fallback_tokens(toks))


def _letter_language(toks: list[Tok]) -> str | None:
    votes: dict[str, int] = {}
    for t in toks:
        for ln in t.lines:
            if ln.lang:
                votes[ln.lang] = votes.get(ln.lang, 0) + len(ln.text)
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: kv[1])[0]


def parse_text(text: str, source: N.Source, grammar: Any = None) -> N.Document:
    """Parse decoded ``text`` into a :class:`~docparse.nodes.Document`.

    ``grammar`` is a :class:`docparse.grammar.Composed` grammar (default: the core grammar
    with every installed grammar plugin).
    """
    if grammar is None:
        grammar = installed()
    lark, lexicon, build, runs = _parser(grammar.text, grammar.builders)
    lookalike, decode = _lookalike_tools()
    index = LineIndex(text)
    build.index = index
    letters: list[N.Node] = []
    for toks, _info in analyse(text, lexicon, lookalike=lookalike, decode=decode,
                               line_classes=grammar.line_classes):
        if not any(t.lines for t in toks):
            continue
        lang = build.language = _letter_language(toks)
        result = _parse_tokens(lark, toks, runs)
        for node in result:
            if isinstance(node, N.Letter):
                letters.append(grammar.finish(node.evolve(language=lang)))
            else:
                letters.append(node)
    pos = index.position(0, len(text))
    return N.Document(children=tuple(letters), source=source, position=pos)
