"""Measure the parser on Lark's public API against its own LALR loop (issue 15).

    python scripts/lark_public_api_speed.py [--letters 200] [--rounds 5] [--corpus ../shared/corpus]

docparse.parser drives Lark's parse table itself (``_lalr``, with the table compiled
once, and ``_inline_callbacks`` replacing the trees of inlined rules). This script puts in
its place the loop of Lark's public API -- ``Lark.parse_interactive()``, ``feed_token``
per layout token, ``feed_eof`` -- in two variants: ``public`` keeps the inlined-rule
callbacks (themselves Lark internals), ``public-only`` uses nothing but the public API
(a fresh parser, no callback patched). For each it prints the CPU time of parsing the
benchmark's English letters (bench/letters.py; best of ``--rounds``, the variants
interleaved) and whether the JSON of every letter (and of a corpus sample, when there is
one) is byte-identical to the shipped parser's.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from letters import english_letter  # noqa: E402

import docparse  # noqa: E402
from docparse import parser as P  # noqa: E402
from docparse.codec import dumps  # noqa: E402
from docparse.grammar import installed  # noqa: E402


def _public_lalr(lark: Any, toks: list[Any]) -> Any:
    """The parse of ``toks`` through ``parse_interactive`` (tokens fed as they are: Lark
    reads only their ``type``)."""
    from lark.exceptions import UnexpectedToken

    ip = lark.parse_interactive(start="start")
    feed = ip.feed_token
    try:
        for tok in toks:
            feed(tok)
    except UnexpectedToken as exc:
        raise P._Unexpected(exc.token) from None
    try:
        return ip.feed_eof()
    except (UnexpectedToken, AssertionError):
        raise P._Unexpected(None) from None


@functools.lru_cache(maxsize=2)
def _plain_parser(text: str, builders_key: tuple[str, ...]) -> Any:
    """A parser built like docparse's, without ``_inline_callbacks`` (public API only)."""
    from lark import Lark

    grammar = installed()
    build = P._Build()
    for rule, fn in grammar.builders.items():
        setattr(build, rule, functools.partial(fn, build))
    lark = Lark(text, parser="lalr", lexer=P._TokenFeed, start="start", maybe_placeholders=False,
                transformer=build)
    return P._Parser(lark, P._lexicon(text), build, P._mergeable(text, grammar.builders))


def _variant(name: str) -> None:
    """Switch docparse.parser to variant ``name`` (shipped, public, public-only)."""
    P._lalr = _ORIGINAL_LALR if name == "shipped" else _public_lalr  # type: ignore[assignment]
    if name == "public-only":
        P._parser = lambda text=None, builders=None: _plain_parser(text, tuple(sorted(builders or {})))  # type: ignore[assignment]
    else:
        P._parser = _ORIGINAL_PARSER  # type: ignore[assignment]


_ORIGINAL_LALR = P._lalr
_ORIGINAL_PARSER = P._parser


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args()
    texts = [english_letter(seed) for seed in range(args.letters)]
    sample: list[Path] = []
    if args.corpus.is_dir():
        rnd = random.Random(6)
        for name in ("letters", "layouts", "ocr", "wide/letters", "de/letters"):
            files = sorted((args.corpus / name).glob("*.txt"))
            sample += rnd.sample(files, min(40, len(files)))
    variants = ("shipped", "public", "public-only")
    reference: list[str] = []
    _variant("shipped")
    reference = [dumps(docparse.parse(t)) for t in texts] + [dumps(docparse.parse_file(p)) for p in sample]
    for name in variants[1:]:
        _variant(name)
        got = [dumps(docparse.parse(t)) for t in texts] + [dumps(docparse.parse_file(p)) for p in sample]
        same = sum(a == b for a, b in zip(reference, got))
        print(f"{name}: {same} of {len(reference)} documents byte-identical to the shipped parser's")
    best = {name: float("inf") for name in variants}
    for r in range(args.rounds):
        for name in (variants if r % 2 == 0 else variants[::-1]):
            _variant(name)
            docparse.parse(texts[0])  # warm
            t = time.process_time()
            for text in texts:
                docparse.parse(text)
            best[name] = min(best[name], time.process_time() - t)
    for name in variants:
        print(f"{name:12s} {best[name]:.3f} s CPU for {len(texts)} letters "
              f"({len(texts) / best[name]:.0f} letters/s, {best[name] / best['shipped'] - 1:+.1%} vs shipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
