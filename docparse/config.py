"""Configuration of the repair pipeline: which plugins run, with which options.

Read from ``docparse.toml`` (top-level keys) or the ``[tool.docparse]`` table of a
``pyproject.toml``, whichever is found first from the current directory upwards
(in one directory, ``docparse.toml`` wins). A file found that way sets options only:
its ``load`` is never run (a folder of letters someone sent must not run their
code), only reported (:attr:`Config.refused`); code is loaded by ``--plugin``, an
installed entry point, or a file named explicitly (``load_config(path=...)``,
``docparse validate --config``). Example::

    [tool.docparse]
    repairs = ["paragraphs", "dates", "cyrillic"]   # exactly these (default: each plugin's own default)
    disable = ["spelling"]                           # never these
    load = ["tools/my_plugin.py", "mypkg.repairs:plugin"]  # extra plugins (paths: relative to this file)
    strict = false                                   # a failing plugin is fatal
    ocr = true                                       # plugins tagged "ocr" on (true) / off (false)
    time-budget = 10.0                               # seconds per plugin per document (0: no limit)
    isolation = "process"                            # third-party plugins in a forked process
    memory-limit = 2048                              # MiB for that process (0: no limit)

    [tool.docparse.plugins.dates]
    headers = true

The command line overrides the file: see :meth:`Config.merge_cli`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import UsageError

__all__ = ["DEFAULT_TIME_BUDGET", "Config", "find_config_file", "load_config", "parse_settings"]

#: seconds each plugin may take on one document before it is stopped
DEFAULT_TIME_BUDGET = 10.0
#: the largest time budget accepted (a day: the system timers refuse far larger ones)
MAX_TIME_BUDGET = 86400.0

_KEYS = {"repairs", "disable", "load", "strict", "ocr", "time-budget", "time_budget", "plugins", "validate",
         "isolation", "memory-limit"}
#: how third-party plugins run: in this process, or each call in a forked one
ISOLATIONS = ("inline", "process")
#: the largest memory limit accepted, MiB (1 TiB)
MAX_MEMORY_LIMIT = 1 << 20


def budget_problem(value: object) -> str | None:
    """Why ``value`` is not a time budget (a finite number of seconds from 0, no limit,
    to :data:`MAX_TIME_BUDGET`), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number of seconds, not {value!r}"
    if not math.isfinite(value):
        return f"must be a finite number of seconds, not {value!r}"
    if not 0 <= value <= MAX_TIME_BUDGET:
        return f"must be between 0 (no limit) and {MAX_TIME_BUDGET:g} seconds, not {value!r}"
    return None


def _budget(instance: object, attribute: object, value: object) -> None:
    problem = budget_problem(value)
    if problem:
        raise ValueError(f"time_budget {problem}")


def _strs(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(value or ())


def _opt_strs(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _options(value: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    return {str(k): dict(v) for k, v in dict(value or {}).items()}


@attrs.frozen(kw_only=True)
class Config:
    """Which plugins run and how.

    ``repairs``: the plugins to run instead of the defaults (None: each plugin's own
    ``default``); ``enable``: run these too (``--repair``); ``disable``: never run
    these (``disable``, ``--no-repair``); ``no_repairs``: run none (``--no-repairs``);
    ``load``: extra plugin specs (file paths or ``module:object``); ``options``:
    plugin name -> option values; ``ocr``: True/False switches plugins tagged
    ``ocr`` on/off (None: their default); ``strict``: a failing plugin raises
    :class:`~docparse.errors.PluginError`; ``time_budget``: seconds per plugin per
    document (0: no limit; finite, at most :data:`MAX_TIME_BUDGET`); ``path``: the file it was read from, if any.
    """

    repairs: tuple[str, ...] | None = attrs.field(default=None, converter=_opt_strs)
    enable: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    disable: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    no_repairs: bool = False
    load: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    options: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_options)
    ocr: bool | None = None
    strict: bool = False
    time_budget: float = attrs.field(default=DEFAULT_TIME_BUDGET, validator=_budget)
    path: Path | None = None
    #: the ``load`` specs of a file found by searching, which are not loaded
    refused: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    #: ``inline`` or ``process`` (third-party plugins in a forked process, hard budget)
    isolation: str = attrs.field(default="inline", validator=attrs.validators.in_(ISOLATIONS))
    #: with ``isolation="process"``: the plugin process's address space, MiB (0: no limit)
    memory_limit: int = attrs.field(default=0, validator=[attrs.validators.instance_of(int),
                                                          attrs.validators.ge(0),
                                                          attrs.validators.le(MAX_MEMORY_LIMIT)])

    @property
    def notice(self) -> str | None:
        """The one-line warning for :attr:`refused` (None when nothing was refused)."""
        if not self.refused:
            return None
        return (f"{self.path}: load = {list(self.refused)} not loaded: a configuration file found "
                "by searching from the current directory sets options only; load plugin code with "
                "--plugin SPEC or an installed entry point")

    def merge_cli(
        self,
        *,
        repair: Iterable[str] = (),
        no_repair: Iterable[str] = (),
        no_repairs: bool = False,
        plugin: Iterable[str] = (),
        strict: bool | None = None,
        ocr: bool | None = None,
        time_budget: float | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        isolation: str | None = None,
    ) -> Config:
        """This configuration overridden by command-line options.

        ``--repair NAME`` runs NAME too (even if off by default or disabled in the
        file); ``--no-repair NAME`` never runs it; ``--no-repairs`` runs none;
        ``--plugin SPEC`` loads one more plugin; ``--strict``, ``--ocr/--no-ocr``
        and a time budget replace the file's values when given (None: keep);
        ``options`` (``--set PLUGIN.OPTION=VALUE``) replace the file's value of each
        option they name and keep its other options.

        >>> Config(options={"dates": {"headers": False}}).merge_cli(
        ...     options={"dates": {"century": 1800}}).options["dates"]
        {'headers': False, 'century': 1800}
        """
        merged = {name: dict(values) for name, values in self.options.items()}
        for name, values in (options or {}).items():
            merged.setdefault(name, {}).update(values)
        repair = tuple(repair)
        no_repair = tuple(no_repair)
        enable = tuple(n for n in self.enable + repair if n not in no_repair)
        disable = tuple(n for n in self.disable if n not in repair) + no_repair
        return attrs.evolve(
            self,
            enable=tuple(dict.fromkeys(enable)),
            disable=tuple(dict.fromkeys(disable)),
            no_repairs=self.no_repairs or no_repairs,
            load=self.load + tuple(plugin),
            strict=self.strict if strict is None else strict,
            ocr=self.ocr if ocr is None else ocr,
            time_budget=self.time_budget if time_budget is None else time_budget,
            options=merged,
            isolation=self.isolation if isolation is None else isolation,
        )


def parse_settings(settings: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``--set PLUGIN.OPTION=VALUE`` arguments as plugin name -> {option: value}.

    VALUE is read as a TOML value (``1800``, ``0.6``, ``true``, ``["en", "ru"]``,
    ``"text"``); anything that is not one is taken as a string, so ``--set
    spacing.ocr=auto`` needs no quotes. A malformed argument is a
    :class:`~docparse.errors.UsageError`; whether the plugin and the option exist and
    the value has the option's type is checked with the file's plugin settings.

    >>> parse_settings(["dates.century=1800", "spacing.ocr=auto"])
    {'dates': {'century': 1800}, 'spacing': {'ocr': 'auto'}}
    """
    out: dict[str, dict[str, Any]] = {}
    for item in settings:
        key, eq, text = item.partition("=")
        name, dot, option = key.strip().rpartition(".")
        if not eq or not dot or not name or not option.isidentifier():
            raise UsageError(f"{item!r} is not PLUGIN.OPTION=VALUE (e.g. dates.century=1800)")
        try:
            value = tomllib.loads(f"value = {text.strip()}")["value"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        out.setdefault(name, {})[option] = value
    return out


def find_config_file(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The first ``docparse.toml``, or ``pyproject.toml`` with ``[tool.docparse]``,
    from ``start`` upwards, with its docparse table; None if there is none."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        own = directory / "docparse.toml"
        if own.is_file():
            return own, _read_toml(own)
        project = directory / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {})
            if isinstance(table, Mapping) and "docparse" in table:
                section = table["docparse"]
                if not isinstance(section, Mapping):
                    raise UsageError(f"{project}: [tool.docparse] must be a table")
                return project, section
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _list_of_str(table: Mapping[str, Any], key: str, where: Path) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key!r} must be a list of plugin names (strings), not {value!r}")
    return tuple(value)


def _from_table(table: Mapping[str, Any], path: Path, *, explicit: bool = False) -> Config:
    """The configuration in ``table`` (read from ``path``); ``explicit``: the file was
    named by the user, so its ``load`` is loaded (else it is only :attr:`Config.refused`)."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"{path}: unknown docparse setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS - {'time_budget'}))})"
        )
    for key in ("strict", "ocr"):
        if key in table and not isinstance(table[key], bool):
            raise UsageError(f"{path}: {key!r} must be true or false, not {table[key]!r}")
    budget = table.get("time-budget", table.get("time_budget", DEFAULT_TIME_BUDGET))
    problem = budget_problem(budget)
    if problem:
        raise UsageError(f"{path}: 'time-budget' {problem}")
    isolation = table.get("isolation", "inline")
    if isolation not in ISOLATIONS:
        raise UsageError(f"{path}: 'isolation' must be one of {', '.join(map(repr, ISOLATIONS))}, not {isolation!r}")
    memory = table.get("memory-limit", 0)
    if isinstance(memory, bool) or not isinstance(memory, int) or not 0 <= memory <= MAX_MEMORY_LIMIT:
        raise UsageError(f"{path}: 'memory-limit' must be a whole number of MiB from 0 (no limit) "
                         f"to {MAX_MEMORY_LIMIT}, not {memory!r}")
    plugins = table.get("plugins", {})
    if not isinstance(plugins, Mapping) or not all(isinstance(v, Mapping) for v in plugins.values()):
        raise UsageError(f"{path}: [plugins.<name>] must be tables of option values")
    load = _list_of_str(table, "load", path) or ()
    # paths are relative to the configuration file; module specs are left alone
    load = tuple(
        str((path.parent / spec).resolve()) if spec.endswith(".py") and not Path(spec).is_absolute() else spec
        for spec in load
    )
    return Config(
        repairs=_list_of_str(table, "repairs", path),
        disable=_list_of_str(table, "disable", path) or (),
        load=load if explicit else (),
        refused=() if explicit else load,
        options={name: dict(opts) for name, opts in plugins.items()},
        strict=table.get("strict", False),
        ocr=table.get("ocr"),
        time_budget=float(budget),
        isolation=isolation,
        memory_limit=memory,
        path=path,
    )


def load_config(start: Path | None = None, *, path: Path | str | None = None) -> Config:
    """The configuration found from ``start`` (default: the current directory) upwards,
    or the defaults; a file found so loads no code (its ``load`` is :attr:`Config.refused`).
    ``path``: read that file instead of searching (a ``docparse.toml``, or a
    ``pyproject.toml`` with a ``[tool.docparse]`` table), ``load`` and all.
    A malformed file is a :class:`~docparse.errors.UsageError`."""
    if path is not None:
        file = Path(path)
        if file.is_dir():
            raise UsageError(f"{file}: is a directory, not a docparse.toml or pyproject.toml")
        table: Any = _read_toml(file)
        if file.name != "docparse.toml":
            table = table.get("tool", {}).get("docparse") if isinstance(table.get("tool"), Mapping) else None
            if not isinstance(table, Mapping):
                raise UsageError(f"{file}: no [tool.docparse] table")
        return _from_table(table, file.resolve(), explicit=True)
    found = find_config_file(Path.cwd() if start is None else Path(start))
    if found is None:
        return Config()
    path, table = found
    return _from_table(table, path)
