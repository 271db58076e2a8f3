"""Memos keyed on an object's identity, for functions of frozen tree nodes.

Nodes are frozen, so a function of a node gives the same answer for the same object;
the plugins of one run ask about the same letter again and again. Hashing a node (a
deep tuple of its fields) would cost more than the answer, so the memo is keyed on
``id(obj)`` and keeps the object with its value (its id cannot be reused while the
entry lives). A full memo is cleared: the same few objects are asked about in a row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["by_identity"]

K = TypeVar("K")
V = TypeVar("V")


def by_identity(size: int) -> Callable[[Callable[[K], V]], Callable[[K], V]]:
    """Decorate a one-argument function to remember its value for the last ``size``
    objects passed (by identity); the wrapper's ``cache_clear()`` empties the memo."""

    def wrap(fn: Callable[[K], V]) -> Callable[[K], V]:
        memo: dict[int, tuple[Any, V]] = {}

        @functools.wraps(fn)
        def call(obj: K) -> V:
            hit = memo.get(id(obj))
            if hit is not None and hit[0] is obj:
                return hit[1]
            value = fn(obj)
            if len(memo) >= size:
                memo.clear()
            memo[id(obj)] = (obj, value)
            return value

        call.cache_clear = memo.clear  # type: ignore[attr-defined]
        return call

    return wrap
