"""The contract of a ``docparse validate`` rule: :class:`Rule`, declared with :func:`rule`,
checks a letter (or the document) and yields :class:`Diagnostic` objects made with
:meth:`RuleContext.problem`.

Its own module, beside :mod:`docparse.plugin` (the repair-plugin contract), so that the
built-in rules (:mod:`docparse.rules`) and third-party rules import the contract and not
the runner: :mod:`docparse.validate` imports the rules, never the other way round (it
re-exports these names, so ``from docparse.validate import rule`` keeps working).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .errors import PluginError, UsageError
from .nodes import Document, Node, Position

__all__ = ["SEVERITIES", "CheckFunction", "Diagnostic", "Rule", "RuleContext", "Where", "rule"]

#: severities, lowest first
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


_ID = re.compile(r"[A-Z]{1,8}[0-9]{1,4}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: options every rule has, set in its configuration table beside its own options
_COMMON_KEYS = frozenset({"severity", "enabled"})


# --------------------------------------------------------------------------- model


def _check_severity(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _RANK:
        raise ValueError(f"{attribute.name} {value!r} is not one of {', '.join(SEVERITIES)}")


def _check_id(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise PluginError(f"rule id {value!r} must be capitals then digits, like 'DP101' or 'ACME12'")


def _check_name(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise PluginError(f"rule name {value!r} is not kebab-case (lower-case letters, digits, single hyphens)")


def _check_doc(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise PluginError(f"rule doc {value!r} must be one non-empty line")


def _frozen_options(value: Mapping[str, Any] | None) -> dict[str, Any]:
    out = dict(value or {})
    for key in out:
        if not isinstance(key, str) or key in _COMMON_KEYS:
            raise PluginError(f"rule option name {key!r} is not allowed (reserved: severity, enabled)")
    return out


CheckFunction = Callable[[Any, "RuleContext"], Iterable["Diagnostic"]]


@attrs.frozen(kw_only=True)
class Rule:
    """One layout rule.

    ``check(node, ctx)`` yields :class:`Diagnostic` objects made with
    :meth:`RuleContext.problem`; ``node`` is each :class:`~docparse.nodes.Letter` of the
    document (``scope="letter"``) or the :class:`~docparse.nodes.Document` itself
    (``scope="document"``). ``options`` are the defaults of the rule's options; their
    types are taken from the defaults. ``default`` False keeps the rule off unless it is
    selected (a stricter variant of another rule, say).
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)
    doc: str = attrs.field(validator=_check_doc)
    check: CheckFunction = attrs.field(eq=False)
    severity: str = attrs.field(default="error", validator=_check_severity)
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_options)
    scope: str = attrs.field(default="letter", validator=attrs.validators.in_(("letter", "document")))
    default: bool = True
    origin: str = "docparse"

    def resolve_options(self, given: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
        """The defaults overridden by ``given``; an unknown key or a wrong type is a UsageError."""
        out = dict(self.options)
        for key, value in dict(given or {}).items():
            key = key.replace("_", "-") if key.replace("_", "-") in self.options else key
            if key in _COMMON_KEYS:
                continue
            if key not in self.options:
                known = ", ".join(sorted(self.options)) or "none"
                raise UsageError(f"{where}: rule {self.id} ({self.name}) has no option {key!r} (options: {known}; also severity, enabled)")
            default = self.options[key]
            if not _same_type(default, value):
                raise UsageError(
                    f"{where}: option {key!r} of rule {self.id} ({self.name}) must be "
                    f"{_type_name(default)}, not {value!r}"
                )
            out[key] = float(value) if isinstance(default, float) else value
        return out


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "an integer"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, (list, tuple)):
        return "a list"
    return "a string"


@attrs.frozen(kw_only=True, order=True)
class Diagnostic:
    """One problem found: where (1-based line/column; end exclusive), which rule, what."""

    path: str
    line: int
    column: int
    rule: str
    message: str = attrs.field(order=False)
    name: str = attrs.field(default="", order=False)
    severity: str = attrs.field(default="error", order=False)
    end_line: int | None = attrs.field(default=None, order=False)
    end_column: int | None = attrs.field(default=None, order=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
        }

    def text(self) -> str:
        """``path:line:column: RULE-ID [severity] message`` (``--format text``)."""
        return f"{self.path}:{self.line}:{self.column}: {self.rule} [{self.severity}] {self.message}"


Where = Node | Position | tuple[int, int] | None


@attrs.define(kw_only=True)
class RuleContext:
    """What a rule's check sees besides the node: its options, the document, the file."""

    rule: Rule
    options: Mapping[str, Any]
    severity: str
    doc: Document
    path: str
    today: _dt.date = attrs.field(factory=_dt.date.today)

    def problem(self, where: Where, message: str, *, end: Where = None) -> Diagnostic:
        """A diagnostic of this rule at ``where`` (a node, a position, or ``(line, column)``).

        A node without a position, or None, points at the start of the file.
        """
        start, stop = _span(where)
        if end is not None:
            stop = _span(end)[1]
        return Diagnostic(
            path=self.path,
            line=start[0],
            column=start[1],
            end_line=stop[0] if stop else None,
            end_column=stop[1] if stop else None,
            rule=self.rule.id,
            name=self.rule.name,
            severity=self.severity,
            message=" ".join(message.split()),
        )


def _span(where: Where) -> tuple[tuple[int, int], tuple[int, int] | None]:
    if isinstance(where, Node):
        where = where.position
    if isinstance(where, Position):
        return (where.start.line, where.start.column), (where.end.line, where.end.column)
    if isinstance(where, tuple):
        return (max(1, where[0]), max(1, where[1])), None
    return (1, 1), None


def rule(
    id: str,
    name: str,
    doc: str,
    *,
    severity: str = "error",
    options: Mapping[str, Any] | None = None,
    scope: str = "letter",
    default: bool = True,
) -> Callable[[CheckFunction], Rule]:
    """Declare a rule from its check function::

        @rule("ACME1", "signed-by-hand", "The signature leaves room for a handwritten signature.")
        def signed_by_hand(letter, ctx):
            ...
            yield ctx.problem(signature, "no blank lines above the typed name")

    Returns the :class:`Rule` (publish it under the entry-point group ``docparse.rules``,
    or call :func:`register_rule`).
    """

    def declare(check: CheckFunction) -> Rule:
        return Rule(
            id=id, name=name, doc=doc, check=check, severity=severity,
            options=options or {}, scope=scope, default=default,
            origin=getattr(check, "__module__", "docparse") or "docparse",
        )

    return declare
