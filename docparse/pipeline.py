"""The repair pipeline: discovery, ordering, isolation, and the record of what ran.

* Discovery: every plugin comes in through the entry-point group
  ``docparse.plugins`` (built-ins included: they are registered in docparse's own
  pyproject.toml), plus the specs in :attr:`Config.load` (``path/to/file.py`` or
  ``package.module:object``).
* Order: a deterministic topological sort of the plugins' ``after``/``before``
  constraints, ties broken by name; never install order.
* Isolation: a plugin that raises, overruns its time budget, or returns something
  that is not a valid repaired tree is reported by name and its changes are dropped;
  the pipeline goes on with the tree it had (or raises :class:`PluginError` when the
  configuration is strict).
* Record: ``Document.data["docparse"]["plugins"]`` lists ``{"name", "version",
  "options"}`` for every plugin that ran successfully, in order.

Stopping a runaway plugin: in the main thread of a Unix process, a ``SIGALRM`` timer
(``signal.setitimer``) raises an exception inside the plugin; elsewhere the plugin
runs in a helper thread, which is asked to stop through
``PyThreadState_SetAsyncExc``. Either way the exception arrives only when Python
bytecode runs: a plugin stuck inside one long C call (a catastrophic regular
expression, a C extension) cannot be interrupted before that call returns; in a
helper thread it is then abandoned (it keeps running in the background, its result
is ignored).
"""

from __future__ import annotations

import ctypes
import functools
import graphlib
import importlib
import importlib.metadata
import importlib.util
import os
import re
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ._isolate import ProcessFailure, call_in_process
from ._isolate import failure_reason as _failed
from ._memo import by_identity
from .codec import from_dict, to_dict
from .config import Config
from .errors import FormatError, PluginError
from .nodes import NODE_TYPES, Document, Leaf, Node, Parent, order_problem
from .plugin import ENTRY_POINT_GROUP, RepairContext, RepairPlugin
from .registry import BUILTIN_REPAIRS, Registry, clear_caches, topological_order
from .repair import CORE_KEY, RepairError, join_record, keep_parsed_language, skeleton, unrepair
from .schema import load_schema, validate
from .source import LineIndex

__all__ = [
    "Failure",
    "PluginInfo",
    "RepairResult",
    "available_plugins",
    "clear_plugin_cache",
    "discover",
    "explain",
    "is_builtin",
    "order_plugins",
    "run_plugin",
    "run_repairs",
]

T = TypeVar("T")
_BARE = Config()


@attrs.frozen(kw_only=True)
class PluginInfo:
    """A discovered plugin: its declaration, where it came from, whether this
    configuration runs it, and its resolved options."""

    plugin: RepairPlugin
    origin: str
    enabled: bool = True
    options: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        return self.plugin.name

    @property
    def version(self) -> str:
        return self.plugin.version

    @property
    def description(self) -> str:
        return self.plugin.description


@attrs.frozen
class Failure:
    """A plugin whose run was dropped: ``kind`` is ``error``, ``timeout`` or ``invalid``."""

    plugin: str
    kind: str
    reason: str

    @property
    def message(self) -> str:
        """One line for stderr."""
        return f"plugin {self.plugin!r} {self.reason}; its changes were dropped"


@attrs.frozen
class RepairResult:
    """The repaired document, the plugins that failed, and the names of those that ran."""

    doc: Document
    failures: tuple[Failure, ...] = ()
    ran: tuple[str, ...] = ()


# ------------------------------------------------------------------ discovery


def _check_plugin(obj: Any, label: str) -> RepairPlugin:
    if isinstance(obj, RepairPlugin):
        return obj
    raise PluginError(
        f"{label} is a {type(obj).__name__}, not a repair plugin "
        "(declare it with @docparse.plugin.repair_plugin)"
    )


#: the repair plugins: the built-ins and the entry points of docparse.plugins (docparse.registry)
REPAIRS: Registry[RepairPlugin] = Registry("repair", ENTRY_POINT_GROUP, BUILTIN_REPAIRS, _check_plugin)


def clear_plugin_cache() -> None:
    """Forget the plugins found through entry points (they are looked up once per
    ``sys.path``: scanning the installed distributions costs ~15 ms, more than the
    repairs of a short letter), of every kind (repairs, grammars, validate rules). Call
    it after installing a plugin in a running process."""
    clear_caches()
    _DEFAULT_PLUGINS.clear()


def _load_entry_points() -> list[tuple[RepairPlugin, str]]:
    """The built-in and installed repair plugins, with their origins; one that cannot be
    loaded, or whose entry-point name is not its name, is a :class:`PluginError`."""
    out = []
    for entry in REPAIRS.entries():
        if entry.value is None:
            raise PluginError(entry.error or f"plugin {entry.name!r} cannot be loaded", plugin=entry.name)
        if entry.value.name != entry.name:
            raise PluginError(
                f"plugin {entry.name!r} ({entry.origin}) declares the name {entry.value.name!r}; "
                "the entry-point name must equal the plugin name",
                plugin=entry.name,
            )
        out.append((entry.value, entry.origin))
    return out


def _module_plugins(module: types.ModuleType, label: str) -> list[RepairPlugin]:
    found = [v for v in vars(module).values() if isinstance(v, RepairPlugin)]
    unique = list({id(p): p for p in found}.values())
    if not unique:
        raise PluginError(f"plugin {label}: defines no repair plugin (@docparse.plugin.repair_plugin)")
    return unique


def load_spec(spec: str) -> list[RepairPlugin]:
    """The plugins named by ``spec``: ``path/to/file.py`` (every plugin the file defines),
    ``package.module:object`` (a plugin or a list of them) or ``package.module``."""
    label = repr(spec)
    try:
        if spec.endswith(".py") or "/" in spec or "\\" in spec:
            path = Path(spec)
            if not path.is_file():
                raise PluginError(f"plugin {label}: no such file")
            mod_name = f"_docparse_plugin_{abs(hash(str(path.resolve()))):x}"
            module_spec = importlib.util.spec_from_file_location(mod_name, path)
            if module_spec is None or module_spec.loader is None:
                raise PluginError(f"plugin {label}: cannot be imported as a Python file")
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[mod_name] = module
            try:
                module_spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(mod_name, None)
                raise
            return _module_plugins(module, label)
        mod_name, _, attr = spec.partition(":")
        module = importlib.import_module(mod_name)
        if not attr:
            return _module_plugins(module, label)
        obj: Any = module
        for part in attr.split("."):
            obj = getattr(obj, part)
        if isinstance(obj, (list, tuple)):
            return [_check_plugin(o, f"plugin {label} item {i}") for i, o in enumerate(obj)]
        return [_check_plugin(obj, f"plugin {label}")]
    except PluginError:
        raise
    except SystemExit as exc:
        raise PluginError(f"plugin {label} cannot be loaded: it called sys.exit({exc.code!r})") from None
    except Exception as exc:
        raise PluginError(f"plugin {label} cannot be loaded: {type(exc).__name__}: {exc}") from None


def discover(config: Config | None = None) -> dict[str, tuple[RepairPlugin, str]]:
    """Every plugin the installation and ``config.load`` provide: name -> (plugin, origin).

    Two different plugins with one name are an error naming both origins.
    """
    config = config or Config()
    found: dict[str, tuple[RepairPlugin, str]] = {}
    pairs = _load_entry_points()
    for spec in config.load:
        pairs.extend((p, f"--plugin {spec}") for p in load_spec(spec))
    for plugin, origin in pairs:
        seen = found.get(plugin.name)
        if seen is not None:
            if seen[0] is plugin:
                continue
            raise PluginError(
                f"plugin {plugin.name!r} is defined twice: by {seen[1]} and by {origin}",
                plugin=plugin.name,
            )
        found[plugin.name] = (plugin, origin)
    return found


# ------------------------------------------------------------------- ordering


def _constraint(name: str, known: Mapping[str, Any], owner: str, field: str) -> str | None:
    optional = name.endswith("?")
    bare = name[:-1] if optional else name
    if bare in known:
        return bare
    if optional:
        return None
    raise PluginError(
        f"plugin {owner!r} must run {field} {bare!r}, which is not installed "
        f"(write {bare + '?'!r} to make the constraint optional)",
        plugin=owner,
    )


def order_plugins(plugins: Sequence[RepairPlugin]) -> list[RepairPlugin]:
    """``plugins`` sorted so that every after/before constraint holds, ties by name.

    A cycle or a constraint naming an unknown plugin is a :class:`PluginError`.
    """
    by_name = {p.name: p for p in plugins}
    succ: dict[str, set[str]] = {n: set() for n in by_name}
    for p in plugins:
        for other in p.after:
            o = _constraint(other, by_name, p.name, "after")
            if o is not None:
                succ[o].add(p.name)
        for other in p.before:
            o = _constraint(other, by_name, p.name, "before")
            if o is not None:
                succ[p.name].add(o)
    before: dict[str, set[str]] = {n: set() for n in by_name}
    for n, targets in succ.items():
        for t in targets:
            before[t].add(n)
    try:
        order = topological_order(sorted(by_name), before)
    except graphlib.CycleError as exc:
        cycle = _find_cycle(set(exc.args[1]), succ)
        raise PluginError(
            "plugin order has a cycle: " + " -> ".join(cycle + [cycle[0]])
            + " (check their after/before)",
            plugin=cycle[0],
        ) from None
    return [by_name[n] for n in order]


def _find_cycle(nodes: set[str], succ: Mapping[str, set[str]]) -> list[str]:
    start = min(nodes)
    path: list[str] = []
    seen: dict[str, int] = {}
    n = start
    while n not in seen:
        seen[n] = len(path)
        path.append(n)
        n = min(t for t in succ[n] if t in nodes)
    return path[seen[n] :]


def _selected(config: Config, plugins: Mapping[str, RepairPlugin]) -> set[str]:
    def known(names: Sequence[str], where: str) -> None:
        for name in names:
            if name not in plugins:
                raise PluginError(
                    f"unknown plugin {name!r} in {where} (available: {', '.join(sorted(plugins)) or 'none'})",
                    plugin=name,
                )

    known(config.repairs or (), "repairs")
    known(config.enable, "--repair")
    known(config.disable, "disable/--no-repair")
    known(list(config.options), "[plugins.<name>] options")
    if config.no_repairs:
        return set()
    if config.repairs is not None:
        chosen = set(config.repairs)
    else:
        chosen = {n for n, p in plugins.items() if p.default}
    if config.ocr is True:
        chosen |= {n for n, p in plugins.items() if "ocr" in p.tags}
    elif config.ocr is False:
        chosen -= {n for n, p in plugins.items() if "ocr" in p.tags}
    chosen |= set(config.enable)
    chosen -= set(config.disable)
    return chosen


def available_plugins(config: Config | None = None) -> list[PluginInfo]:
    """Every discovered plugin, in run order, with ``enabled`` and resolved options
    for ``config``. Unknown names, bad options, cycles: :class:`PluginError`."""
    config = config or Config()
    found = discover(config)
    plugins = {name: p for name, (p, _) in found.items()}
    chosen = _selected(config, plugins)
    out = []
    for p in order_plugins(list(plugins.values())):
        out.append(
            PluginInfo(
                plugin=p,
                origin=found[p.name][1],
                enabled=p.name in chosen,
                options=_json_shaped(p.resolve_options(_with_ocr(p, config))),
            )
        )
    return out


def _json_shaped(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options as they are recorded in JSON (list options as lists, not tuples), so that
    a record read back from a document or a manifest compares equal."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}


def _with_ocr(plugin: RepairPlugin, config: Config) -> dict[str, Any]:
    """The configured options of ``plugin``, with the user's word on OCR (``ocr`` in the
    configuration, ``--ocr/--no-ocr``) passed to a plugin that declares an ``ocr``
    option: a boolean one gets True/False, a choice of ``yes``/``no`` gets those.
    The global setting wins over the plugin's own ``ocr`` option."""
    given = dict(config.options.get(plugin.name) or {})
    option = plugin.options.get("ocr")
    if config.ocr is None or option is None:
        return given
    if option.type is bool:
        given["ocr"] = config.ocr
    elif option.type is str and option.choices is not None and {"yes", "no"} <= set(option.choices):
        given["ocr"] = "yes" if config.ocr else "no"
    return given


# ------------------------------------------------------------------ isolation


class _Timeout(BaseException):
    """Raised inside a plugin that overran its budget. A BaseException, so that a
    plugin's own ``except Exception`` cannot swallow it."""


#: signal.signal without its enum wrapper (the C function it wraps, where there is one):
#: the wrapper turns the handler it returns into a Handlers member, a failed (raising)
#: lookup for a function, and restoring the previous handler after every letter paid for it
def _c_signal() -> Callable[[int, Any], Any]:
    try:
        import _signal  # type: ignore[import-not-found]  # (what signal.signal wraps)
    except ImportError:  # pragma: no cover - not CPython
        return signal.signal
    return getattr(_signal, "signal", signal.signal)


_set_handler = _c_signal()


def _raise_timeout(signum: int, frame: Any) -> None:
    """The SIGALRM handler: stop the plugin whose budget ran out.

    Under a pipeline run (:class:`_Alarm`) one timer watches all the plugins of the
    run: armed once for a plugin's budget, it may go off while a later plugin runs
    (one that started after it was armed); then it is set again for what that plugin
    has left, and only a plugin that has used up its own budget is stopped. Each
    plugin gets its full budget from its own start, as with a timer per plugin, and a
    clean letter's run pays for two timer calls instead of two per plugin."""
    if _ARMED:
        watched = _WATCHED
        if watched is None:  # between plugins: nothing to stop, watch on
            if _RUN_BUDGET > 0.0:
                signal.setitimer(signal.ITIMER_REAL, _RUN_BUDGET)
            return
        left = watched[0] + watched[1] - time.monotonic()
        if left > 0.0:  # armed before this plugin started: wait for what it has left
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4))
            return
        if _RUN_BUDGET > 0.0:  # watch the plugins after this one
            signal.setitimer(signal.ITIMER_REAL, _RUN_BUDGET)
    raise _Timeout()


_ARMED = False  # our SIGALRM handler is installed (by run_repairs, in the main thread)
_RUN_BUDGET = 0.0  # the budget the run's timer is armed with (0.0: no run timer)
#: the plugin call the run's timer watches: (its start on time.monotonic, its budget),
#: None between plugins
_WATCHED: tuple[float, float] | None = None


class _Alarm:
    """For a whole pipeline run: install the SIGALRM handler and arm one timer for the
    plugins' budget (installing the handler costs more than a short plugin's run on a
    clean letter, and so do two timer calls per plugin); restore the previous handler
    and give an outer timer back what is left of it after."""

    def __init__(self, budget: float | None) -> None:
        self.active = bool(
            budget and budget > 0 and not _ARMED and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )
        self.budget = float(budget or 0.0)
        self.previous: Any = None
        self.started = 0.0
        self.outer: tuple[float, float] = (0.0, 0.0)

    def __enter__(self) -> _Alarm:
        global _ARMED, _RUN_BUDGET
        if self.active:
            self.previous = _set_handler(signal.SIGALRM, _raise_timeout)
            _ARMED = True
            _RUN_BUDGET = self.budget
            self.started = time.monotonic()
            self.outer = signal.setitimer(signal.ITIMER_REAL, self.budget)
        return self

    def __exit__(self, *exc: object) -> None:
        global _ARMED, _RUN_BUDGET
        if self.active:
            _RUN_BUDGET = 0.0  # (a signal still pending finds nothing to watch: no re-arming)
            signal.setitimer(signal.ITIMER_REAL, 0)
            _ARMED = False
            _set_handler(signal.SIGALRM, self.previous)
            old_delay, old_interval = self.outer
            if old_delay > 0:  # give an outer timer back what is left of it
                left = old_delay - (time.monotonic() - self.started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), old_interval)


def _call_with_budget(fn: Callable[[], T], budget: float | None) -> T:
    """``fn()``, stopped with :class:`_Timeout` after ``budget`` seconds."""
    global _WATCHED
    if budget is None or budget <= 0:
        return fn()
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        if _ARMED:
            # run_repairs installed the handler and armed its timer for all its plugins
            outer = _WATCHED  # (a plugin that runs plugins: its own call, watched again after)
            _WATCHED = (time.monotonic(), budget)
            try:
                if budget == _RUN_BUDGET:
                    return fn()  # the run's timer looks at this call when it goes off
                old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, budget)
                try:
                    return fn()
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    if old_delay > 0:
                        signal.setitimer(signal.ITIMER_REAL, max(old_delay - budget, 0.001), old_interval)
            finally:
                _WATCHED = outer
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if old_delay > 0:  # give an outer timer back what is left of it (roughly)
                signal.setitimer(signal.ITIMER_REAL, max(old_delay - budget, 0.001), old_interval)
    return _call_in_thread(fn, budget)


def _call_in_thread(fn: Callable[[], T], budget: float) -> T:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="docparse-plugin", daemon=True)
    worker.start()
    worker.join(budget)
    if worker.is_alive():
        if worker.ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(_Timeout)
            )
        worker.join(min(1.0, budget))
        raise _Timeout()
    if "error" in box:
        raise box["error"]
    return box["value"]


#: how a plugin's result is checked: ``full`` validates the JSON Schema too (slow:
#: ~60 ms on a letter), ``structure`` checks the nodes the plugin built against the
#: schema's rules that the node classes do not enforce themselves (fast)
CHECKS = ("full", "structure")


def _validate(
    before: Document,
    after: Any,
    name: str,
    *,
    check: str = "full",
    expected: list[Any] | Callable[[], list[Any] | None] | None = None,
) -> str | None:
    """Why ``after`` is not an acceptable result of plugin ``name`` on ``before``, or None.

    ``expected``: ``skeleton(unrepair(before))`` when the caller already knows it (it
    does not change along a pipeline run: every plugin must keep it).
    """
    if not isinstance(after, Document):
        return f"returned {type(after).__name__}, not a Document"
    if after is before:  # nothing changed: nothing to check
        return None
    if after.source != before.source or after.schema != before.schema:
        return "changed the document's source record"
    old_nodes = {id(n): n for n in before.walk()}
    if _same_text(before, after):
        # only annotations changed (data, Date.iso ...): text, positions, structure and
        # repairs are those of ``before``, which were checked when it was made
        problem = _schema_problem(after) if check == "full" else _structure_problem(after, old_nodes)
        return f"returned a tree that is not valid docparse/1 ({problem})" if problem else None
    try:
        ours = skeleton(unrepair(after))
    except RepairError as exc:
        return f"left a repair record that does not match its node ({exc})"
    except (ValueError, TypeError, KeyError) as exc:
        return f"left a malformed join record ({exc})"
    if callable(expected):
        expected = expected()
    theirs = expected if expected is not None else skeleton(unrepair(before))
    if ours != theirs:
        return "changed text, positions or structure without a recorded repair" + _first_difference(theirs, ours)
    old = _repair_keys(before)
    for key in _repair_keys(after, old_nodes):
        if old.get(key, 0) > 0:
            old[key] -= 1
        elif key[0] != name:
            return f"recorded a repair under another plugin's name ({key[0]!r})"
    problem = _schema_problem(after) if check == "full" else _structure_problem(after, old_nodes)
    if problem:
        return f"returned a tree that is not valid docparse/1 ({problem})"
    return None


def _same_text(before: Node, after: Node) -> bool:
    """Whether ``after`` has ``before``'s nodes in the same order with the same types and
    positions, and every leaf is the very same object or has the same value and
    repairs (no join record): then only annotations differ. A walk in step, no undo."""
    from itertools import zip_longest

    for a, b in zip_longest(before.walk(), after.walk()):
        if a is b:
            continue
        if a is None or b is None or a.type != b.type or a.position != b.position:
            return False
        if type(a) is not type(b) or a.repairs != b.repairs:
            return False
        if isinstance(a, Leaf) and isinstance(b, Leaf):  # (same type: checked above)
            if a.value != b.value or join_record(a) is not None or join_record(b) is not None:
                return False
        elif isinstance(a, Parent) and isinstance(b, Parent):
            if len(a.children) != len(b.children):
                return False
    return True


def _first_difference(a: list[Any], b: list[Any]) -> str:
    for x, y in zip(a, b):
        if x != y:
            return f": {x[0]} {x[2]!r} became {y[0]} {y[2]!r}"
    return f": {len(a)} nodes became {len(b)}"


def _repair_keys(tree: Node, skip: Mapping[int, Node] | None = None) -> dict[tuple[Any, ...], int]:
    """Counts of the repairs recorded in ``tree``, leaving out the subtrees that are the
    very nodes ``skip`` indexes (a plugin's result shares its unchanged subtrees with
    its input, repairs and all: only what it built needs looking at)."""
    counts: dict[tuple[Any, ...], int] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if skip is not None and skip.get(id(node)) is node:
            continue
        for r in node.repairs:
            key = (r.plugin, r.start, r.end, r.before, r.after, r.confidence)
            counts[key] = counts.get(key, 0) + 1
        if isinstance(node, Parent):
            stack.extend(node.children)
    return counts


def _structure_problem(tree: Document, old_nodes: Mapping[int, Node]) -> str | None:
    """The first rule of the ``docparse/1`` schema that a node built by the plugin (one
    not shared with its input) breaks and that the node classes do not enforce
    themselves, or None.

    Checked: each node is an instance of the class registered for its type; a parent
    holds only the child types the schema allows it (or extension types); typed fields
    (``Letter.language``, ``Address.role``, ``PageHeader.page``, ``Date.iso``) have the
    schema's form; ``data`` does not shadow a typed field or ``repairs``; positions and
    repair offsets are integers inside the source; siblings are in source order.
    """

    rules = _child_rules()
    builtin = _builtin_types()
    limit = tree.source.length if tree.source.text is not None or tree.source.length else None
    stack: list[tuple[Node, str]] = [(tree, "$")]
    while stack:
        node, path = stack.pop()
        if old_nodes.get(id(node)) is node and node is not tree:
            continue
        where = f"{path} ({node.type})"
        cls = NODE_TYPES.get(node.type)
        if cls is None:
            if not _EXTENSION_TYPE.fullmatch(node.type):
                return f"{where}: type {node.type!r} is neither built in nor lower snake_case"
        elif type(node) is not cls:
            return f"{where}: a {type(node).__name__} is not the registered {cls.__name__} class"
        for key in node.data:
            if key == "repairs" or key in node.data_fields:
                return f"{where}: data key {key!r} is reserved (set the typed field instead)"
        problem = _field_problem(node)
        if problem:
            return f"{where}: {problem}"
        problem = _offsets_problem(node, limit)
        if problem:
            return f"{where}: {problem}"
        if isinstance(node, Parent):
            allowed = rules.get(node.type)
            problem = order_problem(node, path, deep=False)
            if problem:
                return problem
            for i, child in enumerate(node.children):
                if allowed is not None and child.type in builtin and child.type not in allowed:
                    return f"{where}: a {child.type} cannot be a child of a {node.type}"
                stack.append((child, f"{path}.children[{i}]"))
    return None


_EXTENSION_TYPE = re.compile(r"[a-z][a-z0-9_]*")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field_problem(node: Node) -> str | None:
    language = getattr(node, "language", None) if node.type == "letter" else None
    if language is not None and not (isinstance(language, str) and _LANGUAGE.fullmatch(language)):
        return f"language {language!r} is not a BCP-47 code"
    if node.type == "address" and getattr(node, "role", None) not in (None, "recipient", "sender"):
        return f"role {getattr(node, 'role', None)!r} is not 'recipient' or 'sender'"
    if node.type == "page_header":
        page = getattr(node, "page", None)
        if page is not None and not (_is_int(page) and page >= 1):
            return f"page {page!r} is not an integer >= 1"
    if node.type == "date":
        iso = getattr(node, "iso", None)
        if iso is not None and not (isinstance(iso, str) and _ISO.fullmatch(iso)):
            return f"iso {iso!r} is not YYYY-MM-DD"
    return None


def _offsets_problem(node: Node, limit: int | None) -> str | None:
    pos = node.position
    if pos is not None:
        for point in (pos.start, pos.end):
            if not (_is_int(point.line) and _is_int(point.column) and _is_int(point.offset)):
                return "position has a non-integer line, column or offset"
        if limit is not None and pos.end.offset > limit:
            return f"position ends at offset {pos.end.offset}, past the source's {limit} code points"
    for r in node.repairs:
        if not (_is_int(r.start) and _is_int(r.end)) or not r.plugin:
            return "a repair has non-integer offsets or no plugin name"
        if limit is not None and r.end > limit:
            return f"a repair ends at offset {r.end}, past the source's {limit} code points"
        if not isinstance(r.before, str) or not isinstance(r.after, str):
            return "a repair's before/after is not text"
    return None


@functools.cache
def _child_rules() -> dict[str, frozenset[str]]:
    """Parent type -> the built-in child types the schema allows it."""
    out: dict[str, frozenset[str]] = {}
    for name, definition in load_schema().get("$defs", {}).items():
        children = definition.get("properties", {}).get("children", {})
        any_of = children.get("items", {}).get("properties", {}).get("type", {}).get("anyOf", [])
        enums = [a["enum"] for a in any_of if isinstance(a, dict) and "enum" in a]
        if enums:
            out[name] = frozenset(t for e in enums for t in e)
    return out


@functools.cache
def _builtin_types() -> frozenset[str]:
    """The node types of the schema itself (a grammar plugin's types, such as the memo's
    ``memo_header``, are registered too but stand anywhere, as extension nodes)."""
    rules = _child_rules()
    return frozenset(rules).union(*rules.values())


def _schema_problem(tree: Document) -> str | None:
    """The first way ``tree`` breaks the JSON Schema, or has siblings out of source
    order (:func:`~docparse.nodes.order_problem`), or None."""
    problem = order_problem(tree)
    if problem:
        return problem
    try:
        validate(to_dict(tree))
    except FormatError as exc:
        return str(exc)
    return None


def run_plugin(
    info: PluginInfo | RepairPlugin,
    doc: Document,
    *,
    options: Mapping[str, Any] | None = None,
    time_budget: float | None = None,
    check: str = "auto",
    expected: list[Any] | Callable[[], list[Any] | None] | None = None,
    isolation: str = "inline",
    memory_limit: int = 0,
) -> tuple[Document, Failure | None]:
    """Run one plugin on ``doc`` in isolation: ``(new_doc, None)``, or ``(doc, failure)``.

    Whatever the plugin does (raise any exception, ``sys.exit``, print, change its input
    in place), the caller's tree is untouched and a failure is returned. A third-party
    plugin works on a copy of ``doc``; what it prints goes to stderr. ``isolation``:
    ``inline`` runs it in this process; ``process`` runs a third-party plugin in a
    forked process (:mod:`docparse._isolate`), killed when ``time_budget`` is over
    (a hard limit, which a plugin catching every exception cannot escape) and limited
    to ``memory_limit`` MiB of address space (0: no limit); ``os._exit`` there is a
    reported failure too.

    ``check``: how the result is checked (see :data:`CHECKS`); ``auto`` validates the
    JSON Schema for third-party plugins and checks the structure of what docparse's
    own plugins (``docparse.plugins.*``) built. Either way a plugin that changes text
    without a recorded repair, or records one under another name, is caught.
    ``expected``: ``skeleton(unrepair(doc))`` if already known (saves recomputing it), or
    a function that gives it (called only if the plugin changed text or structure).
    """
    plugin = info.plugin if isinstance(info, PluginInfo) else info
    if check == "auto":
        check = "structure" if is_builtin(plugin) else "full"
    elif check not in CHECKS:
        raise ValueError(f"check must be 'auto' or one of {CHECKS}, not {check!r}")
    if options is None:
        options = info.options if isinstance(info, PluginInfo) else plugin.resolve_options()
    ctx = RepairContext(plugin=plugin.name, options=dict(options), source=doc.source.text)
    builtin = is_builtin(plugin)
    # a third-party plugin gets a copy: changing its input in place (node data, or
    # object.__setattr__ on a frozen node) cannot reach the caller's tree, and what it
    # returns is checked against the tree it was given
    given = doc if builtin else _private_copy(doc)
    if isolation == "process" and not builtin:
        try:
            out = call_in_process(lambda: plugin.run(given, ctx), time_budget, memory_limit)
        except ProcessFailure as exc:
            return doc, Failure(plugin.name, exc.kind, exc.reason)
    else:
        try:
            with _stdout_to_stderr():
                out = _call_with_budget(lambda: plugin.run(given, ctx), time_budget)
        except _Timeout:
            return doc, Failure(plugin.name, "timeout", f"took longer than its budget of {time_budget:g} s")
        except RecursionError:
            return doc, Failure(plugin.name, "error", "failed: RecursionError (does it loop?)")
        except KeyboardInterrupt:
            raise  # (the user's, not the plugin's)
        except BaseException as exc:  # noqa: BLE001 - Exception, SystemExit, a plugin's own BaseException
            return doc, Failure(plugin.name, "error", _failed(exc))
    if given is not doc and isinstance(out, Document) and out is not doc and out == doc:
        out = doc  # handed back unchanged: the caller's tree, as if no copy had been made
    problem = _validate(doc, out, plugin.name, check=check, expected=expected)
    if problem:
        return doc, Failure(plugin.name, "invalid", problem)
    return out, None


def _private_copy(doc: Document) -> Document:
    """A copy of ``doc`` sharing no mutable part with it (nodes and their data; strings
    are shared, being immutable): through the JSON form, the fast deep copy."""

    try:
        copy = from_dict(to_dict(doc))
    except Exception:  # noqa: BLE001 - a tree the codec cannot round-trip (a caller's own node class)
        import copy as _copy

        return _copy.deepcopy(doc)
    assert isinstance(copy, Document)
    return copy


class _stdout_to_stderr:  # noqa: N801 - used as a context manager, like contextlib's
    """While a plugin runs (in the main thread): what it prints goes to stderr, so that
    it cannot corrupt the JSON a command writes to stdout."""

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = None
        if threading.current_thread() is threading.main_thread() and sys.stdout is not sys.stderr:
            self.saved = sys.stdout
            sys.stdout = sys.stderr

    def __exit__(self, *exc: object) -> None:
        if self.saved is not None:
            sys.stdout = self.saved


def is_builtin(plugin: RepairPlugin) -> bool:
    """Whether ``plugin`` is one of docparse's own (its code lives in ``docparse.plugins``)."""
    module = getattr(plugin.run, "__module__", None) or ""
    return module.startswith("docparse.plugins.")


def _debug() -> bool:
    """``DOCPARSE_DEBUG`` set (as ``docparse --debug`` does): check every plugin fully."""
    return os.environ.get("DOCPARSE_DEBUG", "") not in ("", "0")


def _record(doc: Document, entries: list[dict[str, Any]]) -> Document:
    if not entries:
        return doc
    data = dict(doc.data)
    core = dict(data.get(CORE_KEY) or {})
    ran = list(core.get("plugins") or [])
    for entry in entries:
        if entry not in ran:
            ran.append(entry)
    core["plugins"] = ran
    data[CORE_KEY] = core
    return doc.evolve(data=data)


def run_repairs(
    doc: Document, config: Config | None = None, *, check: str | None = None
) -> RepairResult:
    """Run the configured repair plugins on ``doc``, in order, each in isolation.

    ``config=None`` means the defaults (no configuration file is read: pass
    ``load_config()`` for that). A failing plugin is reported in ``failures`` and its
    changes dropped; with ``config.strict`` it raises :class:`PluginError` instead.
    ``check``: how each plugin's result is checked (:func:`run_plugin`); None: ``full``
    (JSON Schema) in strict mode or with ``DOCPARSE_DEBUG`` set, else ``auto``.
    """
    if not isinstance(doc, Document):
        raise TypeError(f"run_repairs() takes a Document, not {type(doc).__name__}")
    config = config or Config()
    failures: list[Failure] = []
    ran: list[str] = []
    entries: list[dict[str, Any]] = []
    if check is None:
        check = "full" if config.strict or _debug() else "auto"
    # what every plugin must keep (text, positions, structure once repairs are undone)
    # is the same all along the run: compute it once
    expected = _Expected(doc)
    before = doc
    with _Alarm(config.time_budget):
        doc = _run_each(doc, config, check, expected, failures, ran, entries)
    doc = _record(keep_parsed_language(before, doc), entries)
    return RepairResult(doc=doc, failures=tuple(failures), ran=tuple(ran))


def _run_each(
    doc: Document,
    config: Config,
    check: str,
    expected: Callable[[], list[Any] | None],
    failures: list[Failure],
    ran: list[str],
    entries: list[dict[str, Any]],
) -> Document:
    """Run the enabled plugins of ``config`` on ``doc`` in order (see :func:`run_repairs`)."""
    for info in _plugins_for(config):
        if not info.enabled:
            continue
        doc, failure = run_plugin(
            info, doc, time_budget=config.time_budget, check=check, expected=expected,
            isolation=config.isolation, memory_limit=config.memory_limit,
        )
        if failure is not None:
            if config.strict:
                raise PluginError(failure.message, plugin=failure.plugin)
            failures.append(failure)
            continue
        ran.append(info.name)
        entries.append(_entry(info))
    return doc


@by_identity(256)
def _entry(info: PluginInfo) -> dict[str, Any]:
    """The record of a plugin that ran: ``{"name", "version", "options"}`` (remembered
    per plugin: the document's data is a copy made when the record is stored)."""
    return {"name": info.name, "version": info.version, "options": _json_shaped(info.options)}


class _Expected:
    """``skeleton(unrepair(doc))`` of the pipeline's input, computed on first use: what
    every plugin must keep (text, positions, structure once repairs are undone) is the
    same all along a run, and a run whose plugins only annotate never needs it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.done = False
        self.value: list[Any] | None = None

    def __call__(self) -> list[Any] | None:
        if not self.done:
            self.done = True
            try:
                self.value = skeleton(unrepair(self.doc))
            except (RepairError, ValueError, TypeError, KeyError):
                self.value = None  # a damaged input: let each check report it
        return self.value


_DEFAULT_PLUGINS: dict[tuple[str, ...], list[PluginInfo]] = {}


def _plugins_for(config: Config) -> list[PluginInfo]:
    """:func:`available_plugins` of ``config``; for the default configuration (no
    plugin files, options or choices) the list is kept per ``sys.path`` (ordering the
    plugins again for every letter of a batch costs more than a clean letter's repairs)."""
    if config != _BARE:
        return available_plugins(config)
    key = tuple(sys.path)
    got = _DEFAULT_PLUGINS.get(key)
    if got is None:
        got = _DEFAULT_PLUGINS[key] = available_plugins(config)
    return got


# -------------------------------------------------------------------- explain


def explain(doc: Document) -> str:
    """The document's repairs as a readable diff, in document order::

        12:5  paragraph  cyrillic (0.95)
          - JIYKameHKo
          + Лукашенко

    Joined nodes are listed with their parts. Empty string when nothing was repaired.
    """
    index = LineIndex(doc.source.text) if doc.source.text is not None else None
    blocks: list[str] = []
    for node in doc.walk():
        rec = join_record(node)
        if rec is not None and node.position is not None:
            where = f"{node.position.start.line}:{node.position.start.column}"
            lines = [p["position"]["start"][0] for p in rec["parts"] if p.get("position")]
            blocks.append(
                f"{where}  {node.type}  {rec.get('plugin')} (structure)\n"
                f"  joined {len(rec['parts'])} parts starting on lines {', '.join(map(str, lines))}"
            )
        if not isinstance(node, Leaf):
            continue
        for r in node.repairs:
            if index is not None and r.start <= len(index.text):
                point = index.point(r.start)
                where = f"{point.line}:{point.column}"
            elif node.position is not None:
                where = f"{node.position.start.line}:{node.position.start.column}"
            else:
                where = "?"
            blocks.append(
                f"{where}  {node.type}  {r.plugin} ({r.confidence:.2f})\n"
                f"  - {_show(r.before)}\n  + {_show(r.after)}"
            )
    return "\n".join(blocks) + ("\n" if blocks else "")


def _show(text: str) -> str:
    """The text as is, or quoted when spaces at its ends or control characters would be lost."""
    if not text or text != text.strip() or any(ord(c) < 32 for c in text):
        return repr(text)
    return text
