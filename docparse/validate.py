"""``docparse validate``: letter layout checks for CI, printed the way linters print them.

A *rule* checks one thing about a parsed letter's layout (is there a date line? are the
continuation pages numbered 2, 3, ...?) and reports *diagnostics*: a place in the file
(1-based line and column), the rule's id and a one-line message::

    letters/offer.txt:5:1: DP102 no salutation before the body (expected e.g. "Dear Ms. Vance:")

Each rule is a small frozen declaration (:class:`Rule`): a stable id (``DP101``), a
kebab-case name (``salutation-present``), a one-line doc, a default severity (``error``,
``warning`` or ``info``), typed options with defaults, and the function that checks.
Built-in rules live in :mod:`docparse.rules`; third-party packages add rules through the
entry-point group ``docparse.rules`` (each entry point names a :class:`Rule` or a list of
them), or at run time with :func:`register_rule`.

Configuration (``[tool.docparse.validate]`` in ``pyproject.toml``, ``[validate]`` in
``docparse.toml``; see docs/validate.md)::

    [tool.docparse.validate]
    select = ["DP1", "DP201"]       # ids, id prefixes, names or "ALL" (default: the default rules)
    ignore = ["DP103"]              # never these
    required = ["date", "signature"]  # the required-part rules to keep (DP101-DP104)
    fail-on = "warning"             # lowest severity that fails the run (default "error")
    repairs = false                 # validate the tree before the repair plugins

    [tool.docparse.validate.rules.ocr-damage]   # by id or name
    severity = "error"
    score = 6.0

per file, a marker line anywhere in the letter (blanked out before parsing, so
positions stay those of the file), or ``per-file-ignores`` in the configuration::

    % docparse: disable=DP101,part-order

and per line, a marker at the end of the line a problem is reported on::

    Dear Mr. Okafor:      % docparse: disable-line=DP501

Exit codes of the command: 0 clean, 1 a diagnostic at or above ``--fail-on``, 2 a usage,
configuration or input error (the highest wins).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import __version__
from . import config as _repair_settings
from .api import read_input
from .config import Config, find_config_file
from .errors import DocparseError, PluginError, UsageError
from .nodes import Document, Node
from .parser import parse_text
from .pipeline import available_plugins, run_plugin
from .registry import Registry
from .rule import _RANK, SEVERITIES, Diagnostic, Rule, RuleContext, _check_severity, rule
from .rules import BUILTIN_RULES
from .source import decode, source_info

if TYPE_CHECKING:
    from .config import Config

__all__ = [
    "FORMATS",
    "RULE_ENTRY_POINT_GROUP",
    "SEVERITIES",
    "STATISTICS_FORMATS",
    "Diagnostic",
    "FileReport",
    "Rule",
    "RuleContext",
    "ValidateConfig",
    "Validator",
    "available_rules",
    "collect_files",
    "find_markers",
    "load_validate_config",
    "path_matches",
    "register_rule",
    "render",
    "render_statistics",
    "rule",
    "select_rules",
    "statistics",
    "validate_document",
    "validate_file",
    "validate_text",
]

#: entry-point group through which third-party packages add rules
RULE_ENTRY_POINT_GROUP = "docparse.rules"

#: output formats of the command
FORMATS: tuple[str, ...] = ("text", "json", "github", "sarif", "junit")

# ------------------------------------------------------------------------ registry

_REGISTERED: dict[str, Rule] = {}


def register_rule(new: Rule) -> Rule:
    """Make ``new`` available to every later validation in this process (tests, notebooks,
    applications that embed docparse). An id or name already taken by another rule is a
    :class:`~docparse.errors.PluginError`."""
    if not isinstance(new, Rule):
        raise PluginError(f"register_rule() takes a Rule (declare it with @docparse.validate.rule), not {type(new).__name__}")
    for other in (*_builtin_rules(), *_REGISTERED.values()):
        if other is new:
            return new
        if other.id == new.id or other.name == new.name:
            raise PluginError(
                f"rule {new.id} ({new.name}) from {new.origin} collides with rule {other.id} ({other.name}) from {other.origin}"
            )
    _REGISTERED[new.id] = new
    return new


def _builtin_rules() -> tuple[Rule, ...]:
    return BUILTIN_RULES


def _check_rules(obj: Any, label: str) -> list[Rule]:
    """A loaded entry point as a list of rules (it may give one rule or a list)."""
    items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    for item in items:
        if not isinstance(item, Rule):
            raise PluginError(f"{label} gives a {type(item).__name__}, not a Rule (declare it with @docparse.validate.rule)")
    return items


#: the rules of installed packages: entry points of docparse.rules (docparse.registry);
#: the built-in rules are docparse.rules.BUILTIN_RULES
RULES: Registry[list[Rule]] = Registry("rule", RULE_ENTRY_POINT_GROUP, {}, _check_rules)


def _entry_point_rules() -> list[Rule]:
    """The rules that installed packages declare (entry points), looked up once per
    ``sys.path``: scanning the installed distributions costs more than checking a letter.
    :func:`docparse.pipeline.clear_plugin_cache` forgets them too."""
    out: list[Rule] = []
    for entry in RULES.third_party():
        if entry.value is None:
            raise PluginError(entry.error or f"rule entry point {entry.name!r} cannot be loaded", plugin=entry.name)
        out += [attrs.evolve(item, origin=f"rule {entry.origin}") for item in entry.value]
    return out


def available_rules() -> list[Rule]:
    """Every rule: built-ins, then entry points, then :func:`register_rule`'s, by id.

    Two rules sharing an id or a name are a :class:`~docparse.errors.PluginError` naming both.
    """
    found: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for r in (*_builtin_rules(), *_entry_point_rules(), *_REGISTERED.values()):
        clash = found.get(r.id) or names.get(r.name)
        if clash is not None:
            if clash.check is r.check and clash.id == r.id:
                continue
            raise PluginError(
                f"rule {r.id} ({r.name}) from {r.origin} collides with rule {clash.id} ({clash.name}) from {clash.origin}"
            )
        found[r.id] = r
        names[r.name] = r
    return sorted(found.values(), key=lambda r: r.id)


def _matches(token: str, r: Rule) -> bool:
    if token == "ALL":
        return True
    if token == r.name or token == r.id:
        return True
    return bool(re.fullmatch(r"[A-Z]+[0-9]*", token)) and r.id.startswith(token)


def _resolve(tokens: Iterable[str], rules: Sequence[Rule], where: str) -> set[str]:
    out: set[str] = set()
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        hits = {r.id for r in rules if _matches(token, r)}
        if not hits:
            raise UsageError(
                f"unknown rule {token!r} in {where} (rules: {', '.join(r.id for r in rules)}; "
                "give an id, an id prefix such as DP1, a name, or ALL)"
            )
        out |= hits
    return out


# -------------------------------------------------------------------- configuration

#: the part names of ``required`` and the rule each one keeps
REQUIRED_PARTS = {"date": "DP101", "salutation": "DP102", "closing": "DP103", "signature": "DP104"}
_CONFIG_KEYS = {"select", "ignore", "extend-select", "required", "fail-on", "repairs", "rules", "exclude",
                "per-file-ignores"}


@attrs.frozen(kw_only=True)
class ValidateConfig:
    """How one run validates: which rules, their options/severities, when it fails.

    ``select``/``ignore``/``extend_select``: rule ids, id prefixes, names or ``ALL``
    (``select`` None: the rules that are on by default); ``required``: the part names
    (date, salutation, closing, signature) whose presence rules stay on (None: all);
    ``rules``: id or name -> option table (``severity``, ``enabled`` and the rule's own
    options); ``fail_on``: the lowest severity that makes the run fail; ``repairs``: run
    the repair plugins (configured as for ``docparse parse``) before the rules;
    ``repair_config``: that configuration; ``exclude``: globs of files not to check
    (:func:`path_matches`); ``per_file_ignores``: glob -> rules not checked in the files it
    matches; ``path``: the file this came from.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    required: tuple[str, ...] | None = None
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    fail_on: str = attrs.field(default="error", validator=_check_severity)
    repairs: bool = True
    repair_config: Config | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    path: Path | None = None

    def merge_cli(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        fail_on: str | None = None,
        no_repairs: bool = False,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        exclude: Sequence[str] = (),
    ) -> ValidateConfig:
        """The file's settings overridden by the command line (``--select`` replaces the
        file's ``select``; ``--ignore`` and ``--exclude`` add to its ``ignore`` and
        ``exclude``; ``options``, from ``--set PLUGIN.OPTION=VALUE``, replace those repair
        plugin options)."""
        repair_config = self.repair_config
        if options:
            repair_config = (repair_config or Config()).merge_cli(options=options)
        return attrs.evolve(
            self,
            select=tuple(select) if select else self.select,
            ignore=self.ignore + tuple(ignore),
            fail_on=fail_on or self.fail_on,
            repairs=self.repairs and not no_repairs,
            repair_config=repair_config,
            exclude=self.exclude + tuple(exclude),
        )


@attrs.frozen
class _Active:
    rule: Rule
    severity: str
    options: Mapping[str, Any]


def select_rules(config: ValidateConfig, rules: Sequence[Rule] | None = None) -> list[_Active]:
    """The rules ``config`` runs, each with its severity and resolved options."""
    rules = list(available_rules() if rules is None else rules)
    where = str(config.path) if config.path else "configuration"
    by_key: dict[str, Rule] = {}
    for r in rules:
        by_key[r.id] = r
        by_key[r.name] = r
    for key in config.rules:
        if key not in by_key:
            raise UsageError(f"{where}: [rules.{key}] names no rule (rules: {', '.join(r.id for r in rules)})")
    if config.select is None:
        chosen = {r.id for r in rules if r.default}
    else:
        chosen = _resolve(config.select, rules, "select")
    chosen |= _resolve(config.extend_select, rules, "extend-select")
    chosen -= _resolve(config.ignore, rules, "ignore")
    if config.required is not None:
        unknown = [p for p in config.required if p not in REQUIRED_PARTS]
        if unknown:
            raise UsageError(f"{where}: required part {unknown[0]!r} is not one of {', '.join(REQUIRED_PARTS)}")
        chosen -= {rid for part, rid in REQUIRED_PARTS.items() if part not in config.required}
    out = []
    for r in rules:
        table = dict(config.rules.get(r.id, {}))
        table.update(config.rules.get(r.name, {}))
        enabled = table.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise UsageError(f"{where}: 'enabled' of rule {r.id} must be true or false, not {enabled!r}")
        if enabled is False or (enabled is None and r.id not in chosen):
            continue
        severity = table.get("severity", r.severity)
        if severity not in _RANK:
            raise UsageError(f"{where}: severity of rule {r.id} must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        out.append(_Active(r, severity, r.resolve_options(table, where)))
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _docparse_table(path: Path) -> Mapping[str, Any]:
    """The docparse table of a configuration file: ``[tool.docparse]`` of a pyproject.toml,
    the whole of any other file (docparse.toml)."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("docparse", {})
        if not isinstance(table, Mapping):
            raise UsageError(f"{path}: [tool.docparse] must be a table")
        return table
    return data


def _strings(table: Mapping[str, Any], key: str, where: Path) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: validate {key!r} must be a list of strings, not {value!r}")
    return tuple(value)


def _repair_config(table: Mapping[str, Any], path: Path | None, explicit: bool = False) -> Config:
    rest = {k: v for k, v in table.items() if k != "validate"}
    if path is None or not rest:
        return _repair_settings.Config(path=path)
    # docparse.config reads the repair settings; it has no public reader of a given
    # table, and load_config() refuses the [validate] key it does not know
    reader = getattr(_repair_settings, "_from_table", None)
    if reader is None:  # pragma: no cover - a future config.py may rename it
        return _repair_settings.load_config(path.parent)
    # (explicit: the file named by --config may load plugin code; one found may not)
    config: Config = reader(rest, path, explicit=explicit)
    return config


def load_validate_config(path: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] | None = None) -> ValidateConfig:
    """Read ``[tool.docparse.validate]`` (pyproject.toml) or ``[validate]`` (docparse.toml).

    ``path`` names the file (``--config``); otherwise the first ``docparse.toml`` or
    ``pyproject.toml`` with ``[tool.docparse]`` from ``start`` (default: the current
    directory) upwards is read, as :func:`docparse.config.load_config` does. No file:
    the defaults. A malformed table is a :class:`~docparse.errors.UsageError`.
    """

    if path is not None:
        file = Path(path)
        if file.is_dir():
            raise UsageError(f"{file}: is a directory; --config takes a docparse.toml or pyproject.toml")
        table = _docparse_table(file)
    else:
        found = find_config_file(Path.cwd() if start is None else Path(start))
        if found is None:
            return ValidateConfig()
        file, table = found
    section = table.get("validate", {})
    if not isinstance(section, Mapping):
        raise UsageError(f"{file}: the validate settings must be a table ([tool.docparse.validate] or [validate])")
    unknown = sorted(set(section) - _CONFIG_KEYS)
    if unknown:
        raise UsageError(f"{file}: unknown validate setting {unknown[0]!r} (known: {', '.join(sorted(_CONFIG_KEYS))})")
    rules = section.get("rules", {})
    if not isinstance(rules, Mapping) or not all(isinstance(v, Mapping) for v in rules.values()):
        raise UsageError(f"{file}: [validate.rules.<id or name>] must be tables of option values")
    fail_on = section.get("fail-on", "error")
    if fail_on not in _RANK:
        raise UsageError(f"{file}: 'fail-on' must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    repairs = section.get("repairs", True)
    if not isinstance(repairs, bool):
        raise UsageError(f"{file}: 'repairs' must be true or false, not {repairs!r}")
    per_file = section.get("per-file-ignores", {})
    if not isinstance(per_file, Mapping):
        raise UsageError(f"{file}: 'per-file-ignores' must be a table of glob = [rules]")
    per_file_ignores = {}
    for glob, tokens in per_file.items():
        got = _strings({glob: tokens}, glob, file)
        per_file_ignores[str(glob)] = got or ()
    return ValidateConfig(
        select=_strings(section, "select", file),
        ignore=_strings(section, "ignore", file) or (),
        extend_select=_strings(section, "extend-select", file) or (),
        required=_strings(section, "required", file),
        rules={str(k): dict(v) for k, v in rules.items()},
        fail_on=fail_on,
        repairs=repairs,
        repair_config=_repair_config(table, file, explicit=path is not None),
        exclude=_strings(section, "exclude", file) or (),
        per_file_ignores=per_file_ignores,
        path=file,
    )


# -------------------------------------------------------------------------- markers

# ``% docparse: disable=DP101,part-order`` (or ``#`` for ``%``), on a line of its own
_MARKER = re.compile(
    r"^[ \t]*[%#][ \t]*docparse[ \t]*:[ \t]*disable[ \t]*=[ \t]*(?P<rules>[^\r\n]*?)[ \t]*(?=\r?$)",
    re.MULTILINE,
)
# ``Dear Mr. Hart:   % docparse: disable-line=DP501`` at the end of a line of the letter
_LINE_MARKER = re.compile(
    r"(?<=\S)[ \t]+(?P<sign>[%#])[ \t]*docparse[ \t]*:[ \t]*disable-line[ \t]*=[ \t]*(?P<rules>[^\r\n]*?)[ \t]*(?=\r?$)",
    re.MULTILINE,
)


@attrs.frozen
class _Marker:
    line: int
    column: int
    tokens: tuple[str, ...]
    #: ``file``: the marker line turns the rules off in the whole file; ``line``: a marker
    #: at the end of a line turns them off for the problems reported on that line
    scope: str = "file"


def find_markers(text: str) -> tuple[str, list[_Marker]]:
    """The markers of ``text`` and the text with each marker blanked out.

    A file marker is a line of its own, ``% docparse: disable=ID,ID,...`` (``#`` may stand
    for ``%``; ids, id prefixes, names, or ``all``); a line marker ends a line of the
    letter, after at least one space: ``Dear Mr. Hart:  % docparse: disable-line=DP501``.
    Their characters become spaces, so a file marker's line reads as blank to the parser,
    a line marker's line as its text alone, and every line keeps its offsets and columns::

        "% docparse: disable=DP101\nDear Ann," -> "                         \nDear Ann,"
    """
    if "docparse" not in text:
        return text, []
    found: list[tuple[int, int, _Marker]] = []
    for m in _MARKER.finditer(text):
        found.append((m.start(), m.end(), _marker(text, m.start(), m.start(), m.group("rules"), "file")))
    for m in _LINE_MARKER.finditer(text):
        found.append((m.start(), m.end(), _marker(text, m.start(), m.start("sign"), m.group("rules"), "line")))
    if not found:
        return text, []
    found.sort(key=lambda f: f[0])
    pieces: list[str] = []
    last = 0
    for begin, end, _ in found:
        pieces.append(text[last:begin])
        pieces.append(" " * (end - begin))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), [f[2] for f in found]


def _marker(text: str, start: int, at: int, rules: str, scope: str) -> _Marker:
    line = text.count("\n", 0, start) + 1
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    tokens = tuple(t.strip() for t in rules.split(",") if t.strip())
    return _Marker(line, at - line_start + 1, tokens, scope)


# ------------------------------------------------------------------------ validation


@attrs.frozen(kw_only=True)
class FileReport:
    """The outcome for one file: its diagnostics (sorted), or the input error that stopped it;
    ``rules``: the ids checked; ``disabled``: ids turned off for the file (its marker, or
    ``per-file-ignores``)."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str | None = None
    rules: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()

    def failed(self, fail_on: str) -> bool:
        return any(_RANK[d.severity] >= _RANK[fail_on] for d in self.diagnostics)


#: the id of the engine's own diagnostic about a marker naming no rule
MARKER_RULE = "DP000"


def validate_document(
    doc: Document,
    active: Sequence[_Active],
    *,
    path: str | None = None,
    disabled: Iterable[str] = (),
    today: _dt.date | None = None,
) -> list[Diagnostic]:
    """Run the ``active`` rules (from :func:`select_rules`) on ``doc``, sorted by place.

    ``disabled``: rule ids to skip (a file's marker). A rule whose check raises is a
    :class:`~docparse.errors.PluginError` naming the rule and the file.
    """
    label = path if path is not None else (doc.source.name or "<input>")
    skip = set(disabled)
    out: list[Diagnostic] = []
    day = today or _dt.date.today()
    letters = doc.letters
    for act in active:
        if act.rule.id in skip:
            continue
        ctx = RuleContext(rule=act.rule, options=act.options, severity=act.severity, doc=doc, path=label, today=day)
        targets: Sequence[Node] = (doc,) if act.rule.scope == "document" else letters
        try:
            for node in targets:
                out.extend(act.rule.check(node, ctx))
        except DocparseError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing rule is named with the file
            raise PluginError(
                f"{label}: rule {act.rule.id} ({act.rule.name}, from {act.rule.origin}) failed: "
                f"{type(exc).__name__}: {' '.join(str(exc).split())}",
                plugin=act.rule.name,
            ) from None
    out.sort()
    return out


def _marker_diagnostics(
    markers: Sequence[_Marker], rules: Sequence[Rule], path: str
) -> tuple[set[str], dict[int, set[str]], list[Diagnostic]]:
    """The ids the file markers turn off, the ids each line marker turns off (by line),
    and a DP000 warning for each name that matches no rule."""
    disabled: set[str] = set()
    by_line: dict[int, set[str]] = {}
    problems: list[Diagnostic] = []
    for marker in markers:
        into = disabled if marker.scope == "file" else by_line.setdefault(marker.line, set())
        for token in marker.tokens:
            if token.lower() == "all":
                into |= {r.id for r in rules} | {MARKER_RULE}
                continue
            hits = {r.id for r in rules if _matches(token, r)} | ({MARKER_RULE} if token == MARKER_RULE else set())
            if not hits:
                problems.append(
                    Diagnostic(
                        path=path, line=marker.line, column=marker.column, rule=MARKER_RULE,
                        name="unknown-rule-in-marker", severity="warning",
                        message=f"the docparse marker names no rule {token!r}",
                    )
                )
            into |= hits
    return disabled, by_line, problems


def _suppressed(d: Diagnostic, by_line: Mapping[int, set[str]]) -> bool:
    """Whether a line marker on one of the lines ``d`` spans turns its rule off."""
    last = d.end_line if d.end_line is not None and d.end_line >= d.line else d.line
    return any(d.rule in ids for line, ids in by_line.items() if d.line <= line <= last)


class _Repairer:
    """The repair plugins of a configuration, discovered once and run on each document.

    (:func:`docparse.pipeline.run_repairs` discovers the plugins again on every call,
    which costs more than the rules themselves on a large batch.)
    """

    def __init__(self, config: Config | None) -> None:
        self.config = config
        self.infos = [i for i in available_plugins(config) if i.enabled]

    def __call__(self, doc: Document, err: Callable[[str], None]) -> Document:
        budget = self.config.time_budget if self.config is not None else None
        isolation = self.config.isolation if self.config is not None else "inline"
        memory = self.config.memory_limit if self.config is not None else 0
        for info in self.infos:
            doc, failure = run_plugin(info, doc, time_budget=budget, isolation=isolation, memory_limit=memory)
            if failure is not None:
                if self.config is not None and self.config.strict:
                    raise PluginError(f"{doc.source.name}: {failure.message}", plugin=failure.plugin)
                err(f"{doc.source.name}: {failure.message}")
        return doc


def _read_text(path: Path, label: str) -> tuple[str, str, bytes]:
    data = read_input(path)
    text, encoding = decode(data, label)
    return text, encoding, data


def validate_text(
    text: str,
    active: Sequence[_Active],
    *,
    path: str = "<input>",
    repair: Callable[[Document], Document] | None = None,
    rules: Sequence[Rule] | None = None,
    encoding: str = "utf-8",
    raw: bytes | None = None,
    today: _dt.date | None = None,
    ignore: Iterable[str] = (),
) -> FileReport:
    """Validate one letter file's text: strip its markers, parse, repair, run the rules.

    ``ignore``: rule ids not checked in this file (``per-file-ignores``), as if a file
    marker named them. Problems on a line whose line marker names their rule are dropped.
    Whitespace-only text is parsed as an empty document (the ``empty-document`` rule
    reports it) rather than refused.
    """

    stripped, markers = find_markers(text)
    rules = list(available_rules() if rules is None else rules)
    disabled, by_line, problems = _marker_diagnostics(markers, rules, path)
    disabled |= set(ignore)
    source = source_info(text, path, encoding, raw)
    if stripped.strip():
        doc = parse_text(stripped, attrs.evolve(source, text=stripped))
    else:
        doc = Document(source=attrs.evolve(source, text=stripped), children=())
    if repair is not None:
        doc = repair(doc)
    diagnostics = validate_document(doc, active, path=path, disabled=disabled, today=today)
    if MARKER_RULE not in disabled:
        diagnostics = sorted([*diagnostics, *problems])
    if by_line:
        diagnostics = [d for d in diagnostics if not _suppressed(d, by_line)]
    return FileReport(
        path=path,
        diagnostics=tuple(diagnostics),
        rules=tuple(a.rule.id for a in active),
        disabled=tuple(sorted(disabled & {a.rule.id for a in active})),
    )


class Validator:
    """Validate file after file with one configuration: the rules, the rule plugins and the
    repair plugins are resolved once, as ``docparse validate DIR`` does for a directory
    (resolving them costs more than checking a letter)."""

    def __init__(self, config: ValidateConfig | None = None, *, today: _dt.date | None = None,
                 say: Callable[[str], None] | None = None) -> None:
        self.config = config or ValidateConfig()
        self.rules = available_rules()
        self.active = select_rules(self.config, self.rules)
        where = str(self.config.path) if self.config.path else "configuration"
        self.per_file_ignores = [
            (glob, frozenset(_resolve(tokens, self.rules, f"{where}: per-file-ignores {glob!r}")))
            for glob, tokens in self.config.per_file_ignores.items()
        ]
        self.repairer = _Repairer(self.config.repair_config) if self.config.repairs else None
        self.today = today
        # (``say``: where a repair plugin's failure is reported, one line)
        self.say = say or (lambda msg: print(f"docparse: {msg}", file=sys.stderr))

    def _repair(self, doc: Document) -> Document:
        assert self.repairer is not None
        return self.repairer(doc, self.say)

    def file(self, path: str | os.PathLike[str]) -> FileReport:
        """The report of one file. An input problem (missing, binary, undecodable) is a
        :class:`~docparse.errors.InputError`."""
        label = str(path)
        text, encoding, raw = _read_text(Path(path), label)
        return validate_text(
            text, self.active, path=label, repair=self._repair if self.repairer else None,
            rules=self.rules, encoding=encoding, raw=raw, today=self.today, ignore=self.ignored(path),
        )

    def ignored(self, path: str | os.PathLike[str]) -> set[str]:
        """The rule ids ``per-file-ignores`` turns off for ``path``."""
        base = self.config.path.parent if self.config.path is not None else None
        out: set[str] = set()
        for glob, ids in self.per_file_ignores:
            if path_matches(path, glob, base):
                out |= ids
        return out


def validate_file(
    path: str | os.PathLike[str],
    config: ValidateConfig | None = None,
    *,
    today: _dt.date | None = None,
) -> FileReport:
    """Validate one file with ``config`` (default: :class:`ValidateConfig` defaults).

    An input problem (missing, binary, undecodable) is a :class:`~docparse.errors.InputError`.
    For many files, a :class:`Validator` resolves the rules and plugins once.
    """
    return Validator(config, today=today).file(path)


def path_matches(path: str | os.PathLike[str], glob: str, base: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``glob`` matches ``path``, as ``--exclude`` and ``per-file-ignores`` read it.

    The glob (``*``, ``?``, ``[...]``; ``*`` crosses ``/``) is matched against every run of
    whole components of the path, as given and, with ``base``, relative to ``base`` (the
    configuration file's folder): ``drafts`` matches ``letters/drafts/a.txt`` (a folder
    on the way), ``*.draft.txt`` its name, ``letters/old/*`` that folder's files, and
    ``letters/a.txt`` that file.
    """
    import fnmatch

    glob = glob.strip().strip("/").replace("\\", "/")
    if not glob:
        return False
    forms = [Path(path)]
    if base is not None:
        try:
            forms.append(Path(path).resolve().relative_to(Path(base).resolve()))
        except (OSError, ValueError):
            pass
    for form in forms:
        parts = [p for p in form.as_posix().split("/") if p not in ("", ".")]
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                if fnmatch.fnmatchcase("/".join(parts[i:j]), glob):
                    return True
    return False


def collect_files(
    paths: Iterable[str], exclude: Sequence[str] = (), base: str | os.PathLike[str] | None = None
) -> list[tuple[str, str | None]]:
    """The files to validate: each FILE as given, each directory's ``*.txt`` (recursively,
    sorted), leaving out the files an ``exclude`` glob matches (:func:`path_matches`;
    files named on the command line too, so that a pre-commit hook honours it). Returns
    ``(path, error)`` pairs; ``error`` says why a path cannot be used."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for given in paths:
        p = Path(given)
        if exclude and any(path_matches(given, g, base) for g in exclude):
            continue
        if p.is_dir():
            every = sorted(q for q in p.rglob("*.txt") if q.is_file())
            found = [q for q in every if not (exclude and any(path_matches(q, g, base) for g in exclude))]
            if not every:
                out.append((given, f"{given}: directory holds no .txt files"))
            for q in found:
                key = str(q)
                if key not in seen:
                    seen.add(key)
                    out.append((key, None))
        elif given not in seen:
            seen.add(given)
            out.append((given, None if p.exists() else f"{given}: no such file or directory"))
    return out


# -------------------------------------------------------------------------- formats


def _summary(reports: Sequence[FileReport]) -> dict[str, Any]:
    counts = {s: 0 for s in SEVERITIES}
    for r in reports:
        for d in r.diagnostics:
            counts[d.severity] += 1
    return {
        "files": len(reports),
        "files_with_problems": sum(1 for r in reports if r.diagnostics),
        "input_errors": sum(1 for r in reports if r.error),
        "diagnostics": sum(counts.values()),
        **counts,
    }


def _format_text(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    return "".join(d.text() + "\n" for r in reports for d in r.diagnostics)


def _format_json(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    import orjson

    body = {
        "tool": "docparse validate",
        "files": [
            {
                "path": r.path,
                "error": r.error,
                "disabled": list(r.disabled),
                "diagnostics": [d.to_dict() for d in r.diagnostics],
            }
            for r in reports
        ],
        "summary": _summary(reports),
    }
    return orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _format_github(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    lines = []
    for r in reports:
        if r.error:
            lines.append(f"::error file={_gh_property(r.path)},title=input error::{_gh_data(r.error)}")
        for d in r.diagnostics:
            props = [f"file={_gh_property(d.path)}", f"line={d.line}", f"col={d.column}"]
            if d.end_line is not None:
                props.append(f"endLine={d.end_line}")
                if d.end_line == d.line and d.end_column is not None:
                    props.append(f"endColumn={d.end_column}")
            props.append(f"title={_gh_property(d.rule)}")
            lines.append(f"::{_GH_LEVEL[d.severity]} {','.join(props)}::{_gh_data(d.message)}")
    return "".join(line + "\n" for line in lines)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    from urllib.parse import quote

    return quote(p.as_posix())


def _format_sarif(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    import orjson


    index = {r.id: i for i, r in enumerate(rules)}
    descriptors = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.doc},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity], "enabled": r.default},
            "properties": {"origin": r.origin, "options": dict(r.options)},
        }
        for r in rules
    ]
    if any(d.rule == MARKER_RULE for rep in reports for d in rep.diagnostics):
        index[MARKER_RULE] = len(descriptors)
        descriptors.append(
            {
                "id": MARKER_RULE,
                "name": "unknown-rule-in-marker",
                "shortDescription": {"text": "A docparse marker line names a rule that does not exist."},
                "defaultConfiguration": {"level": "warning"},
            }
        )
    results = []
    artifacts: dict[str, int] = {}
    for rep in reports:
        artifacts.setdefault(rep.path, len(artifacts))
        for d in rep.diagnostics:
            region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
            if d.end_line is not None and d.end_column is not None:
                region["endLine"] = d.end_line
                region["endColumn"] = max(d.end_column, d.column) if d.end_line == d.line else d.end_column
            result: dict[str, Any] = {
                "ruleId": d.rule,
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(d.path), "index": artifacts[rep.path]},
                            "region": region,
                        }
                    }
                ],
            }
            if d.rule in index:
                result["ruleIndex"] = index[d.rule]
            results.append(result)
    notifications = [
        {
            "level": "error",
            "message": {"text": rep.error},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(rep.path)}}}],
        }
        for rep in reports
        if rep.error
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "docparse",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": _uri(p)}} for p in artifacts],
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": results,
    }
    log = {"version": "2.1.0", "$schema": SARIF_SCHEMA_URI, "runs": [run]}
    return orjson.dumps(log, option=orjson.OPT_INDENT_2).decode() + "\n"


def _format_junit(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    import xml.etree.ElementTree as ET

    by_id = {r.id: r for r in rules}
    root = ET.Element("testsuites", name="docparse validate")
    total = failures = errors = 0
    for rep in reports:
        suite = ET.SubElement(root, "testsuite", name=rep.path)
        s_tests = s_fail = s_err = s_skip = 0
        if rep.error:
            case = ET.SubElement(suite, "testcase", classname=rep.path, name="read and parse")
            ET.SubElement(case, "error", message=rep.error, type="InputError").text = rep.error
            s_tests, s_err = 1, 1
        else:
            by_rule: dict[str, list[Diagnostic]] = {}
            for d in rep.diagnostics:
                by_rule.setdefault(d.rule, []).append(d)
            ids = list(rep.rules) + [rid for rid in by_rule if rid not in rep.rules]
            for rid in ids:
                r = by_id.get(rid)
                name = f"{rid} {r.name}" if r else rid
                case = ET.SubElement(suite, "testcase", classname=rep.path, name=name)
                s_tests += 1
                if rid in rep.disabled:
                    ET.SubElement(case, "skipped", message="disabled for this file (a docparse marker or per-file-ignores)")
                    s_skip += 1
                    continue
                found = by_rule.get(rid, [])
                for d in found:
                    ET.SubElement(
                        case, "failure", message=f"{d.line}:{d.column}: {d.message}", type=d.severity
                    ).text = d.text()
                if found:
                    s_fail += 1
        suite.set("tests", str(s_tests))
        suite.set("failures", str(s_fail))
        suite.set("errors", str(s_err))
        suite.set("skipped", str(s_skip))
        total += s_tests
        failures += s_fail
        errors += s_err
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_FORMATTERS: dict[str, Callable[[Sequence[FileReport], Sequence[Rule]], str]] = {
    "text": _format_text,
    "json": _format_json,
    "github": _format_github,
    "sarif": _format_sarif,
    "junit": _format_junit,
}


def render(reports: Sequence[FileReport], fmt: str = "text", rules: Sequence[Rule] | None = None) -> str:
    """The reports in one of :data:`FORMATS`."""
    if fmt not in _FORMATTERS:
        raise UsageError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    return _FORMATTERS[fmt](reports, list(available_rules() if rules is None else rules))


#: the formats ``--statistics`` writes
STATISTICS_FORMATS: tuple[str, ...] = ("text", "json")


def statistics(reports: Sequence[FileReport]) -> list[dict[str, Any]]:
    """The number of problems of each rule, most first (then by id): ``{"rule", "name",
    "severity", "count", "files"}`` (a rule reported at several severities is one row per
    severity)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for rep in reports:
        for d in rep.diagnostics:
            row = rows.setdefault((d.rule, d.severity), {"rule": d.rule, "name": d.name, "severity": d.severity,
                                                         "count": 0, "files": set()})
            row["count"] += 1
            row["files"].add(rep.path)
    out = sorted(rows.values(), key=lambda r: (-r["count"], r["rule"], -_RANK[r["severity"]]))
    return [{**r, "files": len(r["files"])} for r in out]


def render_statistics(reports: Sequence[FileReport], fmt: str = "text") -> str:
    """``--statistics``: one line per rule, as ruff prints them::

        12  DP102  [error]    salutation-present  (in 9 files)
         3  DP602  [warning]  ocr-damage          (in 3 files)
    """
    rows = statistics(reports)
    if fmt == "json":
        import orjson

        return orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt != "text":
        raise UsageError(f"--statistics prints text or json, not {fmt}")
    if not rows:
        return ""
    width = len(str(rows[0]["count"]))
    sev = max(len(r["severity"]) for r in rows) + 2
    name = max(len(r["name"]) for r in rows)
    lines = [
        f"{r['count']:>{width}}  {r['rule']:<6} {'[' + r['severity'] + ']':<{sev}}  {r['name']:<{name}}  "
        f"(in {r['files']} file{'s' if r['files'] != 1 else ''})"
        for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
