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
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any

import attrs

from .errors import PluginError

__all__ = [
    "ENTRY_POINT_GROUP",
    "LineClass",
    "GrammarPlugin",
    "Composed",
    "discover",
    "compose",
    "installed",
    "listing",
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
    def key(self) -> tuple[str, ...]:
        return tuple(f"{p.name}=={p.version}" for p in self.plugins)


def core_grammar() -> str:
    from importlib.resources import files

    return files("docparse.grammars").joinpath("letter.lark").read_text(encoding="utf-8")


_DEF = re.compile(r"^(?:%(?:extend|override)\s+)?([?!_]*[A-Za-z][A-Za-z0-9_]*)(?:\.-?\d+)?\s*:", re.M)


def _definitions(text: str) -> list[str]:
    return [m.group(1).lstrip("?!") for m in _DEF.finditer(text)]


def _check(text: str, name: str) -> None:
    from lark import Lark
    from lark.exceptions import GrammarError, LarkError

    from .parser import _TokenFeed

    try:
        Lark(text, parser="lalr", lexer=_TokenFeed, start="start", strict=True, maybe_placeholders=False)
    except GrammarError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PluginError(f"grammar plugin {name!r} does not compose: {first}", plugin=name) from None
    except (LarkError, ValueError, KeyError) as exc:
        raise PluginError(f"grammar plugin {name!r} does not compose: {exc}", plugin=name) from None


def compose(plugins: Iterable[GrammarPlugin], *, core: str | None = None) -> Composed:
    """Compose ``plugins`` (in name order) onto the core grammar, checking each one."""
    text = core if core is not None else core_grammar()
    origins: dict[str, str] = {d: "core" for d in _definitions(text)}
    chosen = sorted(plugins, key=lambda p: p.name)
    seen: set[str] = set()
    for plugin in chosen:
        if plugin.name in seen:
            raise PluginError(f"grammar plugin {plugin.name!r} is installed twice", plugin=plugin.name)
        seen.add(plugin.name)
        fragment = f"\n// ---- grammar plugin: {plugin.name} ----\n{plugin.grammar.strip()}\n"
        candidate = text + fragment
        _check(candidate, plugin.name)
        for token in {c.token for c in plugin.line_classes}:
            if not re.search(rf"\b{re.escape(token)}\b", plugin.grammar):
                raise PluginError(
                    f"grammar plugin {plugin.name!r}: line class token {token} is not declared in its grammar",
                    plugin=plugin.name,
                )
        for d in _definitions(plugin.grammar):
            origins.setdefault(d, plugin.name)
        for rule in plugin.builders:
            if not re.search(rf"^\s*[?!]?{re.escape(rule)}\s*:", plugin.grammar, re.M):
                raise PluginError(
                    f"grammar plugin {plugin.name!r}: builder for unknown rule {rule!r}", plugin=plugin.name
                )
        text = candidate
    return Composed(text=text, plugins=tuple(chosen), origins=origins)


def _load(entry: Any) -> GrammarPlugin:
    try:
        obj = entry.load()
    except Exception as exc:  # noqa: BLE001 - a broken plugin is reported, never a traceback
        raise PluginError(f"grammar plugin {entry.name!r} cannot be loaded: {type(exc).__name__}: {exc}",
                          plugin=entry.name) from None
    if callable(obj) and not isinstance(obj, GrammarPlugin):
        try:
            obj = obj()
        except Exception as exc:  # noqa: BLE001
            raise PluginError(f"grammar plugin {entry.name!r} failed to build: {exc}", plugin=entry.name) from None
    if not isinstance(obj, GrammarPlugin):
        raise PluginError(
            f"grammar plugin {entry.name!r} is a {type(obj).__name__}, not a docparse.grammar.GrammarPlugin",
            plugin=entry.name,
        )
    return obj


def discover(*, exclude: Sequence[str] = ()) -> list[GrammarPlugin]:
    """The installed grammar plugins (entry point group ``docparse.grammars``), by name."""
    found = [_load(ep) for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in exclude]
    return sorted(found, key=lambda p: p.name)


@functools.lru_cache(maxsize=16)
def _installed(exclude: tuple[str, ...]) -> Composed:
    return compose(discover(exclude=exclude))


def installed(exclude: Sequence[str] = ()) -> Composed:
    """The core grammar composed with every installed grammar plugin (cached)."""
    return _installed(tuple(sorted(exclude)))


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
