"""What the grammar composer (:mod:`docparse.grammar`) and the parser
(:mod:`docparse.parser`) both need of Lark: the lexer that replays the layout analyser's
tokens, and where Lark's compiled tables are cached. (Its own module so that neither of
the two imports the other's internals.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.lexer import Lexer

__all__ = ["TokenFeed", "cache_path"]


class TokenFeed(Lexer):
    """A Lark lexer that replays the layout analyser's tokens."""

    def __init__(self, lexer_conf: Any) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        for tok in data:
            yield Token(tok.type, tok, start_pos=tok.start, end_pos=tok.end)


def cache_path(text: str) -> str | bool:
    """Where Lark caches the compiled parser tables for ``text`` (one file per grammar)."""
    import hashlib
    import os
    import tempfile

    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(root, "docparse")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        folder = tempfile.gettempdir()
    if not os.access(folder, os.W_OK):
        return False
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return os.path.join(folder, f"grammar-{digest}.lark-cache")
