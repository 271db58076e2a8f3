"""Walking and rewriting trees.

:class:`Visitor` calls ``visit_<type>(node)`` for each node (pre-order);
:class:`Transformer` rebuilds a tree bottom-up, calling ``leave_<type>(original,
updated)`` which returns a node, a list of nodes (spliced into the parent) or
:data:`REMOVE`. Trees are immutable: a transformer returns a new tree and leaves
its input as it was (LibCST's design).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .nodes import Node, Parent

__all__ = ["walk", "walk_with_parents", "Visitor", "Transformer", "REMOVE"]


class _Remove:
    __slots__ = ()

    def __repr__(self) -> str:
        return "REMOVE"


#: return this from ``leave_<type>`` to drop the node
REMOVE: Any = _Remove()


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every descendant, in document order."""
    return node.walk()


def walk_with_parents(
    node: Node, parents: tuple[Parent, ...] = ()
) -> Iterator[tuple[Node, tuple[Parent, ...]]]:
    """Each node with the chain of its ancestors (root first). Parent links are computed, not stored."""
    yield node, parents
    if isinstance(node, Parent):
        chain = parents + (node,)
        for child in node.children:
            yield from walk_with_parents(child, chain)


class Visitor:
    """Calls ``visit_<type>`` (or :meth:`generic_visit`) on every node, parents first.

    Return ``False`` from a visit method to skip that node's children.
    """

    def visit(self, node: Node) -> None:
        method = getattr(self, f"visit_{node.type}", self.generic_visit)
        if method(node) is False:
            return
        if isinstance(node, Parent):
            for child in node.children:
                self.visit(child)

    def generic_visit(self, node: Node) -> Any:
        return None


class Transformer:
    """Rebuilds a tree bottom-up through ``leave_<type>(original, updated)``.

    ``updated`` is ``original`` with its children already transformed; build on
    it. Unchanged subtrees are returned as the very same objects.
    """

    def transform(self, node: Node) -> Node:
        result = self._transform(node)
        if not isinstance(result, Node):
            raise ValueError(f"a transformer must return a node for the root {node.type!r}")
        return result

    def _transform(self, node: Node) -> Any:
        updated = node
        if isinstance(node, Parent):
            new_children: list[Node] = []
            changed = False
            for child in node.children:
                result = self._transform(child)
                if result is REMOVE:
                    changed = True
                elif isinstance(result, Node):
                    new_children.append(result)
                    changed = changed or result is not child
                else:
                    new_children.extend(result)
                    changed = True
            if changed:
                updated = node.evolve(children=tuple(new_children))
        method = getattr(self, f"leave_{node.type}", None)
        if method is None:
            return self.generic_leave(node, updated)
        return method(node, updated)

    def generic_leave(self, original: Node, updated: Node) -> Any:
        return updated
