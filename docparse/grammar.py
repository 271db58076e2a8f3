"""Grammar plugins: new letter formats without forking.

A grammar plugin adds to the core grammar (``grammars/letter.lark``) with Lark's own
composition -- new rules and terminals, ``%extend`` of existing rules (for example
``%extend _opener_part: memo_header``) and of the line lexicons (``%extend
LEX_SALUTATION: /.../``), or ``%override`` -- in its own ``.lark`` text, together
with:

* **line classes** (:class:`LineClass`): which lines the layout analyser hands to the
  plugin's grammar, as a new token type, because they fully match one of its ``LEX_*``
  lexicons in a given zone of the letter (the opener, the closer, the tail);
* **builders**: for each of its new rules, a function that turns the rule's items into
  a node (its node classes are ordinary :mod:`docparse.nodes` classes registered with
  :func:`docparse.nodes.register_node_type`).

* **finish** (optional): a step run on each parsed letter, for what a rule's builder
  cannot see -- the whole letter (e.g. the ``german`` format sets the letter's language
  when its text is German and reads its dates as German dates).

Plugins are discovered from the entry point group ``docparse.grammars`` (the built-in
formats are registered the same way) and composed in a deterministic order (by name).
Composition is checked at load time, one plugin at a time, with Lark's strict LALR
mode: a plugin whose grammar does not compose (a name collision, an unknown rule, an
LALR conflict) is refused with a :class:`~docparse.errors.PluginError` naming the plugin
and Lark's message (which names the rule or terminal).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._memo import by_identity
from .dates import to_iso
from .errors import PluginError
from .nodes import Date, Leaf, Letter, Parent
from .registry import BUILTIN_GRAMMARS, Registry

__all__ = [
    "ENTRY_POINT_GROUP",
    "LineClass",
    "TEI_ZONES",
    "TeiMapping",
    "GrammarPlugin",
    "Composed",
    "GrammarPluginWarning",
    "discover",
    "grammar_choice",
    "installed_names",
    "use_grammars",
    "compose",
    "installed",
    "listing",
    "finish_document",
    "letter_text",
    "lexicon_patterns",
    "set_language",
]

ENTRY_POINT_GROUP = "docparse.grammars"

_ZONES = ("opener", "closer", "tail")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@attrs.frozen(kw_only=True)
class LineClass:
    """Lines in ``zone`` that fully match the lexicon terminal ``lexicon`` become ``token``.

    ``starts_letter``: such a line also opens a new letter (a memo's "MEMORANDUM").
    """

    token: str = attrs.field(validator=attrs.validators.matches_re(r"^[A-Z][A-Z0-9_]*$"))
    lexicon: str = attrs.field(validator=attrs.validators.matches_re(r"^LEX_[A-Z0-9_]+$"))
    zone: str = attrs.field(default="opener", validator=attrs.validators.in_(_ZONES))
    starts_letter: bool = False


#: where a plugin node stands in a TEI letter (:class:`TeiMapping`)
TEI_ZONES = ("opener", "body", "closer", "anywhere")


@attrs.frozen(kw_only=True)
class TeiMapping:
    """How :func:`docparse.to_tei` writes one of a format plugin's node types.

    ``zone`` says where the node belongs in a TEI letter: ``opener`` (with the date line
    and the salutation, before the body: a memo's header), ``body`` (a block of the
    body, like a paragraph), ``closer`` (with the closing and the signature) or
    ``anywhere`` (a note, a milestone). ``write(tei, parent, node)`` adds the node's
    elements to ``parent`` (the ``<opener>``, the ``<div>``, the ``<closer>``, or an
    ``<address>`` for a node inside an address), through ``tei``, a
    :class:`docparse.tei.TeiContext`: ``tei.element(parent, "seg", type="x")`` makes an
    element, ``tei.text(elem, leaf)`` writes a leaf's value with its repairs (a
    ``<choice>`` each), ``tei.dateline(parent, leaf)`` a date line with its ``<date
    when>``. Without a mapping, a plugin leaf is written as ``<note type="TYPE">``.
    """

    zone: str = attrs.field(validator=attrs.validators.in_(TEI_ZONES))
    write: Callable[[Any, Any, Any], None]


def _text(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a grammar plugin needs its grammar text")
    return value


@attrs.frozen(kw_only=True)
class GrammarPlugin:
    """A letter-format plugin: a grammar fragment, its line classes and node builders."""

    name: str = attrs.field(validator=attrs.validators.matches_re(_NAME))
    description: str
    grammar: str = attrs.field(converter=_text)
    line_classes: tuple[LineClass, ...] = attrs.field(default=(), converter=tuple)
    builders: Mapping[str, Callable[..., Any]] = attrs.field(factory=dict, converter=dict)
    version: str = "1"
    #: how the TEI writer writes the plugin's node types: node type -> :class:`TeiMapping`
    tei: Mapping[str, TeiMapping] = attrs.field(factory=dict, converter=dict)
    #: run on each parsed letter (``Letter -> Letter``); must give the same letter when run
    #: again on its own result (so a parser that calls it, and a caller that calls it
    #: again, agree)
    finish: Callable[[Any], Any] | None = None

    @classmethod
    def from_resource(cls, package: str, filename: str, **kw: Any) -> GrammarPlugin:
        """A plugin whose grammar is a data file of ``package`` (read with importlib.resources)."""
        from importlib.resources import files

        return cls(grammar=files(package).joinpath(filename).read_text(encoding="utf-8"), **kw)


@attrs.frozen
class Composed:
    """The core grammar composed with plugins: the text Lark compiles, and what the
    layout analyser and the tree builder need from the plugins."""

    text: str
    plugins: tuple[GrammarPlugin, ...]
    origins: Mapping[str, str]  # rule or terminal name -> "core" or plugin name
    #: the plugins left out, each with the reason (``compose(..., strict=False)``)
    refused: tuple[tuple[str, str], ...] = ()

    @property
    def line_classes(self) -> tuple[LineClass, ...]:
        return tuple(c for p in self.plugins for c in p.line_classes)

    @property
    def builders(self) -> dict[str, Callable[..., Any]]:
        out: dict[str, Callable[..., Any]] = {}
        for p in self.plugins:
            out.update(p.builders)
        return out

    @property
    def tei(self) -> dict[str, TeiMapping]:
        """The plugins' TEI mappings, by node type."""
        out: dict[str, TeiMapping] = {}
        for p in self.plugins:
            out.update(p.tei)
        return out

    @property
    def lexicon_patterns(self) -> dict[str, str]:
        """The regular expressions of the composed grammar's ``LEX_*`` line lexicons, by
        name (what the layout analyser matches whole lines against)."""
        return dict(lexicon_patterns(self.text))

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(f"{p.name}=={p.version}" for p in self.plugins)

    def finish(self, letter: Any) -> Any:
        """``letter`` after every plugin's ``finish`` step (in plugin order).

        A failing step is a :class:`PluginError` naming the plugin, never a traceback.
        """
        for p in self.plugins:
            if p.finish is None:
                continue
            try:
                letter = p.finish(letter)
            except Exception as exc:  # noqa: BLE001 - a broken plugin is named, never a traceback
                raise PluginError(
                    f"grammar plugin {p.name!r}: finish step failed: {type(exc).__name__}: {exc}",
                    plugin=p.name,
                ) from None
        return letter


@functools.lru_cache(maxsize=8)
def lexicon_patterns(text: str) -> Mapping[str, str]:
    """The ``LEX_*`` line lexicons of a grammar text, by name; ``%extend LEX_X: /.../``
    adds an alternative, ``%override LEX_X: /.../`` replaces the pattern. (Cached: do not
    change the mapping returned.)"""
    lex: dict[str, str] = {}
    for m in re.finditer(r"^(%extend\s+|%override\s+)?(LEX_\w+)(?:\.\d+)?\s*:\s*/(.*)/\s*$", text, re.M):
        how, name, pattern = m.group(1), m.group(2), m.group(3)
        if how and how.startswith("%extend") and name in lex:
            lex[name] = f"(?:{lex[name]})|(?:{pattern})"
        else:
            lex[name] = pattern
    return lex


def core_grammar() -> str:
    from importlib.resources import files

    return files("docparse.grammars").joinpath("letter.lark").read_text(encoding="utf-8")


_DEF = re.compile(r"^(?:%(?:extend|override)\s+)?([?!_]*[A-Za-z][A-Za-z0-9_]*)(?:\.-?\d+)?\s*:", re.M)


def _definitions(text: str) -> list[str]:
    return [m.group(1).lstrip("?!") for m in _DEF.finditer(text)]


_CONFLICT_RULE = re.compile(r"<(\w+) :")
_CONFLICT_HEAD = re.compile(r"(Reduce/Reduce collision in Terminal\('(\w+)'\)|Shift/Reduce conflict for terminal (\w+))")


def _describe(exc: Exception) -> str:
    """Lark's message about a grammar, on one line, naming the rules involved.

    Lark lists an LALR conflict over several lines (one per rule, and one block per
    terminal); the first block, with its rules, is what a plugin author needs.
    """
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    head = _CONFLICT_HEAD.search(text)
    if head is None:
        return " ".join(text.split())
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    first = blocks[0]
    rules = list(dict.fromkeys(_CONFLICT_RULE.findall(first)))
    terminal = head.group(2) or head.group(3)
    kind = "reduce/reduce" if head.group(2) else "shift/reduce"
    more = f" (and {len(blocks) - 1} more conflicts)" if len(blocks) > 1 else ""
    return f"LALR {kind} conflict on {terminal} in rule(s) {', '.join(rules) or '?'}{more}"


def _check(text: str, name: str) -> None:
    # lazy: Lark (~50 ms) is loaded only when a grammar is not yet known to compose
    from lark import Lark
    from lark.exceptions import LarkError

    # lazy: Lark (~50 ms) loads only when a grammar is not yet known to compose
    from ._lark import TokenFeed as _TokenFeed

    try:
        Lark(text, parser="lalr", lexer=_TokenFeed, start="start", strict=True, maybe_placeholders=False)
    except (LarkError, ValueError, KeyError, AssertionError) as exc:
        raise PluginError(f"grammar plugin {name!r} does not compose: {_describe(exc)}", plugin=name) from None


_CHANGED = re.compile(r"^%(extend|override)\s+([?!_]*[A-Za-z][A-Za-z0-9_]*)", re.M)
_DEFINED = re.compile(r"^\s*[?!]?([_a-z][a-z0-9_]*)(?:\.-?\d+)?\s*:", re.M)


def _marker(text: str) -> str | None:
    """Where a successful strict check of ``text`` is remembered (None: nowhere to keep it)."""
    import hashlib
    import os

    # lazy: see _check
    import lark

    # lazy: imports Lark, see _check
    from ._lark import cache_path

    cache = cache_path(text)
    if not cache:
        return None
    digest = hashlib.sha256(f"{lark.__version__}\n{text}".encode()).hexdigest()[:24]
    return os.path.join(os.path.dirname(str(cache)), f"verified-{digest}")


def _verified(text: str) -> bool:
    import os

    marker = _marker(text)
    return marker is not None and os.path.exists(marker)


def _remember(text: str) -> None:
    marker = _marker(text)
    if marker is None:
        return
    try:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("checked in Lark's strict LALR mode\n")
    except OSError:
        pass  # a read-only cache only costs the check again


def compose(plugins: Iterable[GrammarPlugin], *, core: str | None = None, strict: bool = True) -> Composed:
    """Compose ``plugins`` (in name order) onto the core grammar, checking each one.

    Refused, with a :class:`PluginError` naming the plugin and the rule: a grammar Lark
    cannot compose (a rule defined twice, a rule used but not defined, ``%extend`` of
    something that does not exist, an LALR conflict in strict mode); a line class whose
    token the plugin does not declare; a builder for a rule the plugin neither defines
    nor ``%override``/``%extend``s; two plugins that ``%override`` the same rule or build
    the same rule (the second would silently win).

    With ``strict=False`` a refused plugin is left out instead, and named with the reason
    in :attr:`Composed.refused`; the others are composed without it.
    """
    text = core if core is not None else core_grammar()
    origins: dict[str, str] = {d: "core" for d in _definitions(text)}
    chosen = sorted(plugins, key=lambda p: p.name)
    kept: list[GrammarPlugin] = []
    refused: list[tuple[str, str]] = []
    seen: set[str] = set()
    overridden: dict[str, str] = {}
    built: dict[str, str] = {}
    for plugin in chosen:
        try:
            text = _add(plugin, text, seen, overridden, built, origins)
        except PluginError as exc:
            if strict:
                raise
            refused.append((getattr(plugin, "name", repr(plugin)), str(exc)))
            continue
        kept.append(plugin)
    return Composed(text=text, plugins=tuple(kept), origins=origins, refused=tuple(refused))


def _add(plugin: GrammarPlugin, text: str, seen: set[str], overridden: dict[str, str],
         built: dict[str, str], origins: dict[str, str]) -> str:
    """``text`` with ``plugin``'s grammar added, checked (see :func:`compose`); the
    bookkeeping of the plugins before it is updated only when the plugin is accepted."""
    if not isinstance(plugin, GrammarPlugin):
        raise PluginError(f"{plugin!r} is not a docparse.grammar.GrammarPlugin")
    if plugin.name in seen:
        raise PluginError(f"grammar plugin {plugin.name!r} is installed twice", plugin=plugin.name)
    changed = {m.group(2).lstrip("?!"): m.group(1) for m in _CHANGED.finditer(plugin.grammar)}
    for rule, how in changed.items():
        if how == "override" and rule in overridden:
            raise PluginError(
                f"grammar plugin {plugin.name!r}: rule {rule!r} is already overridden by "
                f"grammar plugin {overridden[rule]!r}; two formats cannot both replace it",
                plugin=plugin.name,
            )
    fragment = f"\n// ---- grammar plugin: {plugin.name} ----\n{plugin.grammar.strip()}\n"
    candidate = text + fragment
    if not _verified(candidate):
        _check(candidate, plugin.name)
        _remember(candidate)
    for token in sorted({c.token for c in plugin.line_classes}):
        if not re.search(rf"\b{re.escape(token)}\b", plugin.grammar):
            raise PluginError(
                f"grammar plugin {plugin.name!r}: line class token {token} is not declared in its grammar",
                plugin=plugin.name,
            )
    for lexicon in sorted({c.lexicon for c in plugin.line_classes}):
        if not re.search(rf"^(?:%(?:extend|override)\s+)?{re.escape(lexicon)}\b", candidate, re.M):
            raise PluginError(
                f"grammar plugin {plugin.name!r}: line class lexicon {lexicon} is not defined",
                plugin=plugin.name,
            )
    own = set(_DEFINED.findall(plugin.grammar)) | set(changed)
    for rule in plugin.builders:
        if rule not in own:
            raise PluginError(
                f"grammar plugin {plugin.name!r}: builder for rule {rule!r}, which its grammar "
                f"neither defines nor %overrides",
                plugin=plugin.name,
            )
        if rule in built:
            raise PluginError(
                f"grammar plugin {plugin.name!r}: rule {rule!r} is already built by grammar "
                f"plugin {built[rule]!r}",
                plugin=plugin.name,
            )
    seen.add(plugin.name)
    for rule in plugin.builders:
        built[rule] = plugin.name
    for rule, how in changed.items():
        if how == "override":
            overridden[rule] = plugin.name
    for d in _definitions(plugin.grammar):
        origins.setdefault(d, plugin.name)
    return candidate


def _check_plugin(obj: Any, label: str) -> GrammarPlugin:
    """A loaded entry point as a grammar plugin (a factory is called)."""
    if callable(obj) and not isinstance(obj, GrammarPlugin):
        try:
            obj = obj()
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported, never a traceback
            raise PluginError(f"{label} failed to build: {exc}") from None
    if not isinstance(obj, GrammarPlugin):
        raise PluginError(f"{label} is a {type(obj).__name__}, not a docparse.grammar.GrammarPlugin")
    return obj


def _forget() -> None:
    _installed.cache_clear()


#: the grammar plugins: the built-in formats and the entry points of docparse.grammars
GRAMMARS: Registry[GrammarPlugin] = Registry("grammar", ENTRY_POINT_GROUP, BUILTIN_GRAMMARS, _check_plugin,
                                             on_clear=_forget)


def installed_names() -> list[str]:
    """The names of the installed grammar plugins (loaded or not)."""
    return sorted({e.name for e in GRAMMARS.entries()})


def _discover(exclude: Sequence[str], strict: bool) -> tuple[list[GrammarPlugin], list[tuple[str, str]]]:
    found: list[GrammarPlugin] = []
    failed: list[tuple[str, str]] = []
    for entry in GRAMMARS.entries():
        if entry.name in exclude:
            continue
        if entry.value is None:
            reason = entry.error or f"grammar plugin {entry.name!r} cannot be loaded"
            if strict:
                raise PluginError(reason, plugin=entry.name)
            failed.append((entry.name, reason))
        else:
            found.append(entry.value)
    return sorted(found, key=lambda p: p.name), failed


def discover(*, exclude: Sequence[str] = (), strict: bool = True) -> list[GrammarPlugin]:
    """The installed grammar plugins (entry point group ``docparse.grammars``), by name.

    One that cannot be loaded raises :class:`~docparse.errors.PluginError`, or, not
    ``strict``, is left out with a :class:`GrammarPluginWarning`."""
    found, failed = _discover(exclude, strict)
    for name, reason in failed:
        warnings.warn(f"grammar plugin {name!r} left out: {_without_name(reason, name)}",
                      GrammarPluginWarning, stacklevel=2)
    return found


class GrammarPluginWarning(UserWarning):
    """A grammar plugin was left out of the composed grammar (it does not compose, or
    cannot be loaded); the parse goes on without it."""


#: the process's choice of grammar plugins (:func:`use_grammars`): left out, strict
_CHOICE: dict[str, Any] = {"exclude": (), "strict": False}


def use_grammars(*, exclude: Sequence[str] = (), strict: bool = False) -> None:
    """Choose, for this process, which installed grammar plugins every parse leaves out
    (``exclude``, by name) and whether one that does not compose is an error
    (``strict``) or is left out with a :class:`GrammarPluginWarning` (the default).
    The command line's ``--no-grammar NAME`` and ``--strict`` set this."""
    _CHOICE["exclude"] = tuple(sorted(exclude))
    _CHOICE["strict"] = bool(strict)


def grammar_choice() -> tuple[tuple[str, ...], bool]:
    """The choice of :func:`use_grammars`: ``(exclude, strict)`` (to hand to a worker)."""
    return _CHOICE["exclude"], _CHOICE["strict"]


@functools.lru_cache(maxsize=16)
def _installed(exclude: tuple[str, ...], strict: bool) -> Composed:
    plugins, failed = _discover(exclude, strict)
    composed = compose(plugins, strict=strict)
    if failed:
        composed = attrs.evolve(composed, refused=tuple(sorted((*failed, *composed.refused))))
    for name, reason in composed.refused:
        warnings.warn(f"grammar plugin {name!r} left out: {_without_name(reason, name)}",
                      GrammarPluginWarning, stacklevel=3)
    return composed


def _without_name(reason: str, name: str) -> str:
    """``reason`` without its leading ``grammar plugin 'name'`` (said once already)."""
    head = f"grammar plugin {name!r}"
    return reason[len(head):].lstrip(": ") if reason.startswith(head) else reason


def installed(exclude: Sequence[str] | None = None, *, strict: bool | None = None) -> Composed:
    """The core grammar composed with every installed grammar plugin (cached).

    ``exclude`` names plugins to leave out; a plugin that does not compose or cannot be
    loaded is left out with a :class:`GrammarPluginWarning` (see :attr:`Composed.refused`),
    or, ``strict``, raises :class:`~docparse.errors.PluginError`. Either argument left
    None takes the process's choice (:func:`use_grammars`).
    """
    chosen = _CHOICE["exclude"] if exclude is None else tuple(sorted(exclude))
    return _installed(chosen, _CHOICE["strict"] if strict is None else bool(strict))


def listing(composed: Composed) -> str:
    """The composed grammar, each definition marked with its origin (core or plugin)."""
    out = []
    for line in composed.text.splitlines():
        m = _DEF.match(line)
        if m:
            origin = composed.origins.get(m.group(1).lstrip("?!"), "core")
            if line.startswith("%extend") or line.startswith("%override"):
                origin = next((p.name for p in composed.plugins if line in p.grammar), origin)
            out.append(f"{line}    // from {origin}")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def finish_document(document: Any, composed: Composed) -> Any:
    """``document`` with each of its letters passed through ``composed``'s finish steps.

    The parser runs the steps on each letter as it builds it; running them again is a
    no-op (finish steps are idempotent), so callers may call this on any parse.
    """

    if not any(p.finish for p in composed.plugins):
        return document
    kids = tuple(composed.finish(c) if isinstance(c, Letter) else c for c in document.children)
    return document if kids == document.children else document.evolve(children=kids)


def letter_text(letter: Any, limit: int | None = None) -> str:
    """The running text of a letter: its leaves' values, one per line (for language tests);
    with ``limit``, at least its first ``limit`` characters (the walk stops there)."""

    parts: list[str] = []
    size = 0
    for n in letter.walk():
        if isinstance(n, Leaf) and n.value:
            parts.append(n.value)
            size += len(n.value) + 1
            if limit is not None and size > limit:
                break
    return "\n".join(parts)


@by_identity(8)
def _sample(letter: Any) -> str:
    """The first thousand characters of ``letter``'s text, once per letter (each language
    plugin's ``finish`` step asks about the same letter)."""
    return letter_text(letter, 1000)[:1000]


@functools.lru_cache(maxsize=64)
def _detected(text: str) -> str | None:
    """detect_language, once per letter text (several language plugins ask about one letter)."""
    # lazy: the language detector's word lists load only when a language plugin asks
    from .lang import detect_language

    return detect_language(text)


def set_language(letter: Any, language: str, *, replaces: Sequence[str | None] = (None, "en"),
                 hint: str | Callable[[str], bool] | None = None) -> Any:
    """``letter`` marked as written in ``language`` when its text is, with its dates read again.

    The core parser tells only English from Russian (from the script of each line), so a
    letter in another Latin-script language comes out as ``en``; a format plugin for that
    language calls this from its ``finish`` step. Only a letter whose language is one of
    ``replaces`` is changed, and only when :func:`docparse.lang.detect_language` finds
    ``language`` in its text. Dates are read again as ``language`` dates (a numeric
    ``03.05.1999`` is the 3rd of May outside English).

    ``hint``, a regular expression or a function of the text, is a cheap sign of the
    language (its accented letters, its commonest words): a letter whose first thousand
    characters show no sign is left as it is without running the language detector.

    Example: ``Letter(language="en")`` of "Sehr geehrte Damen und Herren, ... Mit freundlichen
    Grüßen" -> ``Letter(language="de")``.
    """

    if letter.language == language or letter.language not in replaces:
        return letter
    # the first thousand characters tell the language as well as the whole letter, faster
    sample = _sample(letter)
    if hint is not None and not (hint(sample) if callable(hint) else re.search(hint, sample)):
        return letter  # (``hint``: a cheap sign of the language, e.g. its accented letters)
    if _detected(sample) != language:
        return letter

    def redate(node: Any) -> Any:
        if isinstance(node, Date):
            iso = to_iso(node.value, language) or node.iso
            return node if iso == node.iso else node.evolve(iso=iso)
        if isinstance(node, Parent):
            kids = tuple(redate(c) for c in node.children)
            return node if kids == node.children else node.evolve(children=kids)
        return node

    return redate(letter).evolve(language=language)
