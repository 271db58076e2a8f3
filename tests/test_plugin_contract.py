"""The contract every registered repair plugin must keep, run over each of them.

For every plugin :func:`docparse.pipeline.available_plugins` finds (built-in or
installed, on by default or not), on hand-built letter trees and on random trees:
the input is unchanged; every text change is a recorded repair (undoing the repairs
gives back the input's nodes, positions and values) recorded under the plugin's own
name; running it twice gives the same tree as running it once; the output is valid
``docparse/1``.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

import docparse
from docparse.config import Config
from docparse.nodes import Document, Node
from docparse.pipeline import PluginInfo, _validate, available_plugins
from docparse.plugin import RepairContext
from docparse.repair import skeleton, unrepair
from docparse.schema import validate

from strategies import documents
from test_unrepair import build

PLUGINS = available_plugins(Config())


def _ids(info: PluginInfo) -> str:
    return info.name


HAND_BUILT = {
    "split-paragraph": build(
        [("p", ["We hope that you will join us", "in the"]), ("header", ["Mr. X", "July 21, 2004", "Page 2"]),
         ("p", ["search for talent."]), ("p", ["Yours truly,"])],
        indent="  ",
    ),
    "form-feeds": build([("p", ["one"]), ("break", []), ("p", ["two”"]), ("break", []), ("p", ["three ‘x’."])]),
    "russian-header": build([("p", ["Мы получили ваше письмо"]), ("header", ["21 июля 2004 г.", "2-я страница"]),
                             ("p", ["и благодарим."])], blank="\n\n"),
    "empty": Document(),
}


def _run(info: PluginInfo, doc: Document) -> Document:
    ctx = RepairContext(plugin=info.name, options=dict(info.options), source=doc.source.text)
    return info.plugin.run(doc, ctx)


def _new_repairs(before: Node, after: Node) -> list[str]:
    old = [(r.plugin, r.start, r.end, r.before, r.after) for n in before.walk() for r in n.repairs]
    names = []
    for node in after.walk():
        for r in node.repairs:
            key = (r.plugin, r.start, r.end, r.before, r.after)
            if key in old:
                old.remove(key)
            else:
                names.append(r.plugin)
    return names


def check_contract(info: PluginInfo, doc: Document, pipeline_check: bool = True) -> Document:
    snapshot = copy.deepcopy(doc)
    text = docparse.dumps(doc)
    out = _run(info, doc)
    # the input is unchanged
    assert doc == snapshot and docparse.dumps(doc) == text
    assert isinstance(out, Document)
    # every text change is recorded, under the plugin's own name
    assert skeleton(unrepair(out)) == skeleton(unrepair(doc))
    assert set(_new_repairs(doc, out)) <= {info.name}
    # idempotent
    assert _run(info, out) == out
    # valid output
    validate(docparse.to_dict(out))
    if pipeline_check:  # the pipeline accepts it (it validates the schema again: slow)
        assert _validate(doc, out, info.name) is None
    return out


def test_there_are_plugins_to_check() -> None:
    assert {"paragraphs", "dates"} <= {i.name for i in PLUGINS}


@pytest.mark.parametrize("info", PLUGINS, ids=_ids)
@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_contract_on_hand_built_trees(info: PluginInfo, case: str) -> None:
    check_contract(info, HAND_BUILT[case])


@pytest.mark.parametrize("info", PLUGINS, ids=_ids)
@given(doc=documents())
def test_contract_on_random_trees(info: PluginInfo, doc: Document) -> None:
    """Any plugin on any generated letter tree keeps the contract."""
    check_contract(info, doc, pipeline_check=False)


@pytest.mark.parametrize("info", PLUGINS, ids=_ids)
@given(data=st.data())
def test_contract_after_the_other_plugins(info: PluginInfo, data: st.DataObject) -> None:
    """A plugin keeps the contract on trees other plugins already repaired."""
    tree = HAND_BUILT[data.draw(st.sampled_from(sorted(HAND_BUILT)))]
    for other in data.draw(st.permutations(PLUGINS)):
        if other.name != info.name and data.draw(st.booleans()):
            tree = _run(other, tree)
    check_contract(info, tree, pipeline_check=False)
