"""One plugin registry for repairs, grammars and validate rules: discovery and ordering.

Each kind of plugin is a :class:`Registry`: its built-ins, named in a table here and
imported directly (no scan of the installed distributions), and the third-party plugins
of its entry-point group, scanned once per ``sys.path`` (the scan costs ~15 ms, more
than the repairs of a short letter) and remembered until :func:`clear_caches`::

    kind      entry-point group     built-ins
    repair    docparse.plugins      cyrillic-lookalikes, spacing, dehyphenate, ocr-spelling, paragraphs, dates
    grammar   docparse.grammars     memo, german, french, letterhead
    rule      docparse.rules        (the built-in rules are docparse.rules.BUILTIN_RULES)

A registry hands back :class:`Entry` records -- the name, what was loaded (or the
one-line reason it could not be), and where it came from -- and leaves what a broken
entry means to its kind: a repair or rule entry that cannot be loaded is an error, a
grammar plugin that cannot be loaded is left out with a warning unless ``--strict``.
Enabling and disabling are the kind's too (``--repair``/``--no-repair``,
``--no-grammar``, ``--select``/``--ignore``); :func:`topological_order` orders names by
their ``after``/``before`` constraints with :mod:`graphlib`, ties broken by name.
"""

from __future__ import annotations

import graphlib
import heapq
import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

import attrs

from .errors import PluginError

__all__ = [
    "BUILTIN_GRAMMARS",
    "BUILTIN_REPAIRS",
    "Entry",
    "Registry",
    "clear_caches",
    "topological_order",
]

T = TypeVar("T")

#: the built-in repair plugins: name -> "module:attribute"
BUILTIN_REPAIRS: Mapping[str, str] = {
    "cyrillic-lookalikes": "docparse.plugins.cyrillic:plugin",
    "spacing": "docparse.plugins.spacing:plugin",
    "dehyphenate": "docparse.plugins.dehyphenate:plugin",
    "ocr-spelling": "docparse.plugins.ocr_spelling:plugin",
    "paragraphs": "docparse.plugins.paragraphs:plugin",
    "dates": "docparse.plugins.dates:plugin",
}
#: the built-in grammar plugins (letter formats): name -> "module:attribute"
BUILTIN_GRAMMARS: Mapping[str, str] = {
    "memo": "docparse.plugins.memo:plugin",
    "german": "docparse.plugins.german:plugin",
    "french": "docparse.plugins.french:plugin",
    "letterhead": "docparse.plugins.letterhead:plugin",
}


@attrs.frozen
class Entry(Generic[T]):
    """One plugin of a registry: ``value`` what was loaded (None when it could not be,
    then ``error`` says why, on one line), ``origin`` where it came from."""

    name: str
    value: T | None
    origin: str
    error: str | None = None


_REGISTRIES: list[Registry[Any]] = []


class Registry(Generic[T]):
    """The plugins of one kind: ``builtins`` (name -> ``module:attribute``, imported
    directly) and the entry points of ``group``; ``check(obj, label)`` turns a loaded
    object into the kind's plugin (or raises :class:`PluginError`)."""

    def __init__(self, kind: str, group: str, builtins: Mapping[str, str],
                 check: Callable[[Any, str], T], on_clear: Callable[[], None] | None = None) -> None:
        self.kind = kind
        self.on_clear = on_clear
        self.group = group
        self.builtin_specs = dict(builtins)
        self.check = check
        self._builtins: list[Entry[T]] | None = None
        self._scanned: dict[tuple[str, ...], list[Entry[T]]] = {}
        _REGISTRIES.append(self)

    def _load(self, name: str, spec: str, origin: str) -> Entry[T]:
        label = f"{self.kind} plugin {name!r} ({origin})"
        try:
            module_name, _, attr = spec.partition(":")
            obj: Any = importlib.import_module(module_name)
            for part in attr.split(".") if attr else ():
                obj = getattr(obj, part)
            return Entry(name, self.check(obj, label), origin)
        except PluginError as exc:
            return Entry(name, None, origin, " ".join(str(exc).split()))
        except Exception as exc:  # noqa: BLE001 - third-party code: named, one line, never a traceback
            reason = f"{label} cannot be loaded: {type(exc).__name__}: {exc}"
            return Entry(name, None, origin, " ".join(reason.split()))

    def builtins(self) -> list[Entry[T]]:
        """The built-in plugins (imported once)."""
        if self._builtins is None:
            self._builtins = [self._load(n, s, f"built-in {s}") for n, s in sorted(self.builtin_specs.items())]
        return list(self._builtins)

    def third_party(self) -> list[Entry[T]]:
        """The plugins of the entry-point group (an entry point naming a built-in is the
        built-in), scanned once per ``sys.path``, by name."""
        key = tuple(sys.path)
        found = self._scanned.get(key)
        if found is None:
            found = []
            builtin = set(self.builtin_specs.values())
            for ep in sorted(entry_points(group=self.group), key=lambda e: (e.name, e.value)):
                if ep.value in builtin:
                    continue
                dist = getattr(ep, "dist", None)
                origin = f"entry point {ep.name} = {ep.value}" + (f" ({dist.name})" if dist is not None else "")
                found.append(self._load(ep.name, ep.value, origin))
            self._scanned[key] = found
        return list(found)

    def entries(self) -> list[Entry[T]]:
        """The built-ins, then the third-party plugins."""
        return self.builtins() + self.third_party()

    def clear(self) -> None:
        """Forget what was loaded and scanned (after installing a plugin in a running process)."""
        self._builtins = None
        self._scanned.clear()
        if self.on_clear is not None:
            self.on_clear()


def clear_caches() -> None:
    """Forget the plugins every registry found (see :meth:`Registry.clear`)."""
    for registry in _REGISTRIES:
        registry.clear()


def topological_order(names: Iterable[str], after: Mapping[str, Iterable[str]]) -> list[str]:
    """``names`` ordered so that each comes after every name ``after[name]`` lists, ties
    broken by name (the smallest ready name first), with :mod:`graphlib`.

    A cycle raises :class:`graphlib.CycleError` (its ``args[1]``: the names of one cycle).
    """
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name in names:
        sorter.add(name, *after.get(name, ()))
    sorter.prepare()
    ready = list(sorter.get_ready())
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        out.append(name)
        sorter.done(name)
        for more in sorter.get_ready():
            heapq.heappush(ready, more)
    return out
