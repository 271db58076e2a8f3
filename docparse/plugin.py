"""The repair-plugin contract: a small frozen declaration plus the function that runs.

A repair plugin receives a :class:`~docparse.nodes.Document` and returns a new one;
it never mutates its input (trees are frozen) and changes text only through
:meth:`RepairContext.edit` (:func:`docparse.repair.apply_edits`), which records every
change so that it can be explained and undone. Declare one with the decorator::

    from docparse.plugin import repair_plugin
    from docparse.visitor import Transformer

    @repair_plugin(
        name="straight-quotes",
        description="Replace typographic quotes with ASCII quotes.",
        reads=("paragraph",),
        options={"min_confidence": 0.5},
    )
    def plugin(tree, ctx):
        ...  # return ctx-recorded changes on a new tree

The decorator returns a :class:`RepairPlugin` (still callable like the function);
publish it under the entry-point group ``docparse.plugins`` (see docs/plugins.md).

Besides the contract, this module hands plugins the helpers of the repair record they
need: :func:`leaves`, :func:`undo_leaf`, :func:`source_span`, :func:`join_record`,
:func:`position_from` and :func:`split_lines` (the OCR engines are in :mod:`docparse.ocr`).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .errors import PluginError
from .geometry import WordSpan, confidence_at, word_confidences
from .lines import split_lines
from .repair import _pos_from as position_from
from .repair import apply_edits, join_leaves, join_record, leaves, source_span, undo_leaf

if TYPE_CHECKING:
    from .edits import Edit
    from .nodes import Document, Leaf, Node

__all__ = [
    "ENTRY_POINT_GROUP",
    "Option",
    "RepairPlugin",
    "RepairContext",
    "repair_plugin",
    "check_name",
    "join_record",
    "leaves",
    "position_from",
    "source_span",
    "split_lines",
    "undo_leaf",
    "WordSpan",
    "confidence_at",
    "word_confidences",
]

#: entry-point group through which built-in and third-party plugins are found
ENTRY_POINT_GROUP = "docparse.plugins"

_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: names a plugin may not take: the core keeps its own data under "docparse"
_RESERVED = frozenset({"docparse"})

RunFunction = Callable[["Document", "RepairContext"], "Document"]

_OPTION_TYPES: dict[type, str] = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    tuple: "a list",
}


def check_name(name: object, what: str = "plugin name") -> str:
    """``name`` if it is a stable kebab-case plugin name, else :class:`PluginError`."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise PluginError(
            f"{what} {name!r} is not kebab-case (lower-case letters, digits, single hyphens)",
            plugin=name if isinstance(name, str) else None,
        )
    if name in _RESERVED:
        raise PluginError(f"{what} {name!r} is reserved for docparse itself", plugin=name)
    return name


@attrs.frozen
class Option:
    """One typed option of a plugin: its default, type (from the default) and help.

    Types: bool, int, float (an int is accepted), str, and lists (stored as tuples).
    ``choices``: the only values allowed; ``minimum``/``maximum``: bounds (inclusive)
    of a number.
    """

    default: Any
    help: str = ""
    type: builtins.type = attrs.field()
    choices: tuple[Any, ...] | None = attrs.field(default=None, converter=attrs.converters.optional(tuple))
    minimum: float | None = None
    maximum: float | None = None

    @type.default
    def _type_from_default(self) -> builtins.type:
        kind = type(self.default)
        if kind is list:
            return tuple
        if kind not in _OPTION_TYPES:
            raise PluginError(
                f"option default {self.default!r} has type {kind.__name__}; "
                "use bool, int, float, str or a list"
            )
        return kind

    def __attrs_post_init__(self) -> None:
        if isinstance(self.default, list):
            object.__setattr__(self, "default", tuple(self.default))
        if (self.minimum is not None or self.maximum is not None) and self.type not in (int, float):
            raise PluginError(f"option bounds are for numbers, not for a default of {self.default!r}")

    def check(self, value: Any, plugin: str, name: str) -> Any:
        """``value`` converted to this option's type, or a PluginError naming the option."""
        ok: bool
        if self.type is bool:
            ok = isinstance(value, bool)
        elif self.type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.type is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif self.type is tuple:
            ok = isinstance(value, (list, tuple))
            value = tuple(value) if ok else value
        else:
            ok = isinstance(value, self.type)
        if not ok:
            raise PluginError(
                f"plugin {plugin!r}: option {name!r} must be {_OPTION_TYPES.get(self.type, self.type.__name__)}, "
                f"not {value!r}",
                plugin=plugin,
            )
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            low = "" if self.minimum is None else f"at least {self.minimum:g}"
            high = "" if self.maximum is None else f"at most {self.maximum:g}"
            raise PluginError(
                f"plugin {plugin!r}: option {name!r} must be {' and '.join(filter(None, (low, high)))}, "
                f"not {value!r}",
                plugin=plugin,
            )
        if self.choices is not None and value not in self.choices:
            raise PluginError(
                f"plugin {plugin!r}: option {name!r} must be one of "
                f"{', '.join(map(repr, self.choices))}, not {value!r}",
                plugin=plugin,
            )
        return value


def _options(value: Mapping[str, Any] | None) -> dict[str, Option]:
    out: dict[str, Option] = {}
    for key, spec in dict(value or {}).items():
        if not isinstance(key, str) or not key.isidentifier():
            raise PluginError(f"option name {key!r} must be an identifier (letters, digits, _)")
        out[key] = spec if isinstance(spec, Option) else Option(spec)
    return out


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _names(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    out = tuple(value)
    for item in out:
        # a trailing "?" marks an optional constraint: ignored when no such plugin is installed
        check_name(item[:-1] if isinstance(item, str) and item.endswith("?") else item,
                   "after/before name")
    return out


def _one_line(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise PluginError(
            f"plugin {getattr(instance, 'name', '?')!r}: {attribute.name} must be one non-empty line",
            plugin=getattr(instance, "name", None),
        )


def _callable(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise PluginError(
            f"plugin {instance.name!r}: run must be callable, not {type(value).__name__}",
            plugin=instance.name,
        )


@attrs.frozen(kw_only=True)
class RepairPlugin:
    """The declaration of a repair plugin.

    ``name``: stable kebab-case id (used in configuration, recorded repairs, errors);
    ``description``: one line; ``reads``: node types it looks at (documentation and
    ``--list-plugins``); ``options``: name -> :class:`Option`; ``after``/``before``:
    names of plugins this one must run after/before (a trailing ``?`` makes the
    constraint optional: ignored when that plugin is not installed); ``version`` is
    recorded in each document it repairs; ``default``: runs unless disabled (False:
    only on request); ``tags``: e.g. ``("ocr",)`` for plugins ``--ocr/--no-ocr``
    switch; ``run(tree, ctx) -> Document``.
    """

    name: str = attrs.field(converter=check_name)
    description: str = attrs.field(validator=_one_line)
    run: RunFunction = attrs.field(validator=_callable, eq=False, repr=False)
    reads: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    options: Mapping[str, Option] = attrs.field(factory=dict, converter=_options)
    after: tuple[str, ...] = attrs.field(default=(), converter=_names)
    before: tuple[str, ...] = attrs.field(default=(), converter=_names)
    version: str = "1"
    default: bool = True
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def __call__(self, tree: Document, ctx: RepairContext) -> Document:
        return self.run(tree, ctx)

    def resolve_options(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The defaults updated with ``given``; unknown names and wrong types are errors."""
        given = dict(given or {})
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise PluginError(
                f"plugin {self.name!r} has no option {unknown[0]!r} (its options: {known})",
                plugin=self.name,
            )
        out = {key: opt.default for key, opt in self.options.items()}
        for key, value in given.items():
            out[key] = self.options[key].check(value, self.name, key)
        return out


@attrs.frozen(kw_only=True)
class RepairContext:
    """What a plugin gets besides the tree: its name, resolved options, the source text.

    Use :meth:`edit` to change a leaf's text; it records the repair under this
    plugin's name, with offsets into the original source.
    """

    plugin: str
    options: Mapping[str, Any] = attrs.field(factory=dict)
    source: str | None = None

    def edit(self, leaf: Leaf, edits: Iterable[Edit]) -> Leaf:
        """``leaf`` with ``edits`` applied and recorded (see :func:`docparse.repair.apply_edits`)."""
        return apply_edits(leaf, edits, plugin=self.plugin, source=self.source)

    def join(
        self, parts: list[Leaf], gaps: list[list[Node]], separator: str = " "
    ) -> tuple[Leaf, list[Node]]:
        """Join split leaves, recording the split (see :func:`docparse.repair.join_leaves`)."""
        return join_leaves(parts, gaps, plugin=self.plugin, separator=separator)


def repair_plugin(
    *,
    name: str,
    description: str,
    reads: Iterable[str] = (),
    after: Iterable[str] | str = (),
    before: Iterable[str] | str = (),
    options: Mapping[str, Any] | None = None,
    version: str = "1",
    default: bool = True,
    tags: Iterable[str] = (),
) -> Callable[[RunFunction], RepairPlugin]:
    """Declare a repair plugin from a function ``run(tree, ctx) -> Document``.

    ``options`` maps names to defaults (the type comes from the default) or to
    :class:`Option` objects. Errors in the declaration are :class:`PluginError`.
    """

    def wrap(run: RunFunction) -> RepairPlugin:
        plugin = RepairPlugin(
            name=name,
            description=description,
            run=run,
            reads=tuple(reads),
            options=options or {},
            after=after,
            before=before,
            version=str(version),
            default=default,
            tags=tuple(tags),
        )
        return plugin

    return wrap
