"""One plugin registry (docparse.registry) for repairs, grammars and validate rules:
built-ins imported from a table, third-party entry points scanned once per sys.path,
one way to forget them, one topological order (graphlib, ties by name)."""

from __future__ import annotations

import graphlib
from typing import Any

import pytest

import docparse.registry as registry
from docparse.grammar import GRAMMARS, installed
from docparse.pipeline import REPAIRS, clear_plugin_cache
from docparse.registry import BUILTIN_GRAMMARS, BUILTIN_REPAIRS, Registry, topological_order
from docparse.validate import RULES


def test_every_kind_of_plugin_has_a_registry() -> None:
    assert all(isinstance(r, Registry) for r in (REPAIRS, GRAMMARS, RULES))
    assert [r.group for r in (REPAIRS, GRAMMARS, RULES)] == ["docparse.plugins", "docparse.grammars", "docparse.rules"]
    assert [e.name for e in REPAIRS.builtins()] == sorted(BUILTIN_REPAIRS)
    assert [e.name for e in GRAMMARS.builtins()] == sorted(BUILTIN_GRAMMARS)
    assert all(e.value is not None and e.origin.startswith("built-in ") for e in REPAIRS.builtins())


def test_builtins_need_no_scan_and_entry_points_are_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the built-ins scans nothing; the entry-point scan runs once, until
    clear_plugin_cache(), which forgets every kind (and the composed grammar)."""
    calls: list[str] = []
    real = registry.entry_points

    def counting(**kw: Any) -> Any:
        calls.append(kw["group"])
        return real(**kw)

    monkeypatch.setattr(registry, "entry_points", counting)
    clear_plugin_cache()
    assert REPAIRS.builtins() and calls == []
    first = REPAIRS.third_party()
    assert REPAIRS.third_party() == first and calls == ["docparse.plugins"]
    RULES.third_party()
    assert calls == ["docparse.plugins", "docparse.rules"]
    composed = installed()
    assert installed() is composed
    clear_plugin_cache()
    REPAIRS.third_party()
    assert calls.count("docparse.plugins") == 2
    assert installed() is not composed  # the grammar cache was forgotten too


def test_an_entry_point_that_cannot_be_loaded_is_named_not_raised() -> None:
    """The registry records the reason; what it means is the kind's (an error for repairs
    and rules, a left-out plugin with a warning for grammars)."""
    reg: Registry[object] = Registry("test", "docparse.none", {"ghost": "no_such_module_xyz:plugin"}, lambda o, label: o)
    (entry,) = reg.builtins()
    assert entry.value is None and entry.error is not None
    assert entry.error.startswith("test plugin 'ghost' (built-in no_such_module_xyz:plugin) cannot be loaded: ModuleNotFoundError")


def test_topological_order_keeps_constraints_and_breaks_ties_by_name() -> None:
    after = {"a": {"c"}, "b": {"d"}, "e": {"b"}}
    assert topological_order(["e", "d", "c", "b", "a"], after) == ["c", "a", "d", "b", "e"]
    with pytest.raises(graphlib.CycleError):
        topological_order(["a", "b"], {"a": {"b"}, "b": {"a"}})
