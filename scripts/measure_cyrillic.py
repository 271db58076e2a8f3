"""Measure the Cyrillic look-alike decoder (docparse.cyrillic); prints figures, asserts nothing.

Run from the repository root: ``python scripts/measure_cyrillic.py``.

(a) The Russian OCR-damaged letters of ``../shared/corpus/ocr`` (``tolstoy-*``): each file is
    decoded and its words compared with the gold ``clean_text`` (docparse.wordscore).
(b) Russian prose that is NOT from the corpus (``tests/data/ru_prose.txt``, written for this
    project), damaged here by the confusion model below, to show the decoder is not tuned
    to the corpus.
(c) The seed document's Russian part: the decoded salutation, closing and page headers.
(d) Detection: lookalike_score on English, genuine Cyrillic and look-alike lines; lines/s.
(e) The prose of (b) with other engines' one-letter readings mixed in (Tesseract's English
    model: И as u/U/H, Л as n/N, Д as g/n/f, Я as A/a, Ш as w/ll, Ц as u/L/W, Ч as u).

The confusion model of (b) is read off the seed document (a Russian letter read by an
English-only OCR): for each Cyrillic letter, the Latin strings the seed shows for it, with
rough weights from how often they occur there; the OCR's case is random (about one letter
in three comes out in the other case); about one line in six is set in the seed's second
typeface (``n`` for п/л, ``6`` for б, ``.S`` for я, ``q`` for ч, ``,r`` for д); about one
word in 100 is split after its first letter, one space in 300 is lost. One-letter words are
not dropped (a decoder cannot restore them, so they would only measure the damage).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from docparse.cyrillic import decode, decode_edits, lookalike_score
from docparse.source import split_lines
from docparse.wordscore import Scores, score

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT.parent / "shared" / "seed" / "000_6d7bea923b489c0f.txt"
PROSE = ROOT / "tests" / "data" / "ru_prose.txt"

# Cyrillic letter -> [(Latin reading, weight)]: typeface A (the seed's main typeface)
_MODEL_A: dict[str, list[tuple[str, int]]] = {
    "а": [("a", 10)], "б": [("O", 4), ("o", 3), ("0", 2), ("6", 1)], "в": [("B", 10)],
    "г": [("r", 8), ("f", 1)], "д": [(",I", 7), (",n", 3), (",D", 1)],
    "е": [("e", 8), ("E", 1)], "ё": [("e", 1)], "ж": [("2K", 6), (")K", 3)], "з": [("3", 1)],
    "и": [("H", 1)], "й": [("H", 1)], "к": [("K", 3), ("k", 1)],
    "л": [("JI", 6), ("Jl", 4)], "м": [("M", 1)], "н": [("H", 1)],
    "о": [("O", 6), ("o", 3), ("0", 1)], "п": [("II", 7), ("lI", 2), ("n", 2)],
    "р": [("p", 4), ("P", 1)], "с": [("C", 5), ("c", 4)], "т": [("T", 1)],
    "у": [("Y", 3), ("y", 3)], "ф": [("4?", 1), ("cP", 1)], "х": [("X", 2), ("x", 1)],
    "ц": [("IJ", 1)], "ч": [("tI", 9), ("q", 1)], "ш": [("m", 1)], "щ": [("m;", 1)],
    "ъ": [("'b", 1)], "ы": [("bI", 1)], "ь": [("b", 1)], "э": [("3", 1)],
    "ю": [("IO", 6), ("lO", 2)], "я": [("5I", 1)],
}
# typeface B (about one line in six in the seed)
_MODEL_B = dict(_MODEL_A)
_MODEL_B.update({"б": [("6", 1)], "л": [("n", 1)], "п": [("n", 1)], "я": [(".S", 1)],
                 "ч": [("q", 1)], "д": [(",r", 1)], "ш": [("rn", 1)]})


# glyphs whose case the seed's OCR flips at random (their two cases look alike)
_CASELESS = set("cCoOkKpPxXyYeE")


def damage(clean: str, rng: random.Random) -> str:
    """Read ``clean`` Russian the way the seed's English-only OCR did (see module doc)."""
    out_lines = []
    for a, b, _ in split_lines(clean):
        model = _MODEL_B if rng.random() < 1 / 6 else _MODEL_A
        chars: list[str] = []
        in_word = 0
        for ch in clean[a:b]:
            low = ch.lower()
            if low in model:
                options = model[low]
                latin = rng.choices([o for o, _ in options], [w for _, w in options])[0]
                if low == "ч" and chars and chars[-1] in "yY" and rng.random() < 0.7:
                    latin = "-"  # the seed's у-ч ligature: участники -> y-aCTHHKH
                if latin in _CASELESS and rng.random() < 0.33:
                    latin = latin.swapcase()
                if in_word == 1 and rng.random() < 0.01:
                    chars.append(" ")  # a word split after its first letter
                chars.append(latin)
                in_word += 1
            elif ch == " " and rng.random() < 1 / 300:
                in_word = 0  # a space lost: two words run together
            else:
                chars.append({"«": "((", "»": "))"}.get(ch, ch))
                in_word = 0
        out_lines.append("".join(chars))
    return "\n".join(out_lines)


def _report(name: str, total: Scores, n_words: int, seconds: float) -> None:
    print(f"{name}: {total.clean_words} words; word accuracy {total.accuracy_before:.1%} -> "
          f"{total.accuracy_after:.1%}; WER {total.wer_before:.1%} -> {total.wer_after:.1%} "
          f"(relative reduction {total.reduction:.1%}); new errors {len(total.new_errors)}; "
          f"{n_words / seconds:,.0f} words/s wall, {n_words / max(_CPU[0], 1e-9):,.0f} words/s CPU "
          f"(first sight of each word)")
    _CPU[0] = 0.0


def _words(text: str) -> int:
    return len(text.split())


_CPU = [0.0]


def _decode_timed(text: str) -> tuple[str, float]:
    """Decode ``text``; wall seconds are returned, CPU seconds added to ``_CPU`` (on a shared
    machine the CPU figure is the one that says how fast the code is)."""
    t, c = time.perf_counter(), time.process_time()
    out = decode(text)
    _CPU[0] += time.process_time() - c
    return out, time.perf_counter() - t


def measure_corpus(show: int) -> None:
    files = sorted((CORPUS / "ocr").glob("tolstoy-*.txt"))
    if not files:
        print(f"(a) skipped: no tolstoy-*.txt under {CORPUS / 'ocr'}")
        return
    total, n, secs = Scores(), 0, 0.0
    for f in files:
        damaged = f.read_text(encoding="utf-8")
        clean = json.loads(f.with_suffix("").with_suffix(".gold.json").read_text("utf-8"))["clean_text"]
        repaired, dt = _decode_timed(damaged)
        total = total + score(damaged, repaired, clean)
        n, secs = n + _words(damaged), secs + dt
    _report("(a) corpus ocr/tolstoy-*", total, n, secs)
    c = time.process_time()
    for f in files:
        decode(f.read_text(encoding="utf-8"))
    print(f"    again, words cached: {n / max(time.process_time() - c, 1e-9):,.0f} words/s CPU")
    for e in total.new_errors[:show]:
        print(f"    {e.clean!r} -> {e.after!r}   ({e.context})")


def measure_prose(show: int) -> None:
    if not PROSE.exists():
        print(f"(b) skipped: {PROSE} is missing")
        return
    clean = PROSE.read_text(encoding="utf-8")
    damaged = damage(clean, random.Random(20040721))
    repaired, dt = _decode_timed(damaged)
    s = score(damaged, repaired, clean)
    _report("(b) own prose, seed confusion model", s, _words(damaged), dt)
    for e in s.new_errors[:show]:
        print(f"    {e.clean!r} -> {e.after!r}   ({e.context})")
    import difflib

    from docparse.wordscore import words
    cw, rw = words(clean), words(repaired)
    ops = difflib.SequenceMatcher(a=cw, b=rw, autojunk=False).get_opcodes()
    wrong = [(" ".join(cw[a1:a2]), " ".join(rw[b1:b2])) for op, a1, a2, b1, b2 in ops if op != "equal"]
    print(f"    first wrong words (clean -> repaired): {wrong[:show]}")


# Other engines' readings (issue 13): Tesseract's English model reads one Cyrillic letter as
# one Latin letter, often in lower case. Weights relative to the seed's own readings of the
# letter (1.0: as often as all of those together).
_OTHER_ENGINES: dict[str, list[tuple[str, float]]] = {
    "и": [("u", 0.4), ("U", 0.2), ("H", 0.4)], "л": [("n", 0.7), ("N", 0.3)],
    "д": [("g", 0.5), ("n", 0.25), ("f", 0.25)], "я": [("A", 0.3), ("a", 0.7)],
    "ш": [("w", 0.7), ("ll", 0.3)], "ц": [("u", 0.5), ("L", 0.25), ("W", 0.25)],
    "ч": [("u", 1.0)],
}


def measure_engines(show: int, share: float = 1.0) -> None:
    """(e) The prose of (b) damaged by the seed's model with other engines' one-letter
    readings mixed in (``share`` of them against the seed's own readings of that letter)."""
    if not PROSE.exists():
        print(f"(e) skipped: {PROSE} is missing")
        return
    global _MODEL_A, _MODEL_B
    saved = (_MODEL_A, _MODEL_B)
    try:
        for name in ("_MODEL_A", "_MODEL_B"):
            model = dict(globals()[name])
            for letter, readings in _OTHER_ENGINES.items():
                own = model.get(letter, [])
                total = sum(w for _, w in own) or 1
                model[letter] = own + [(r, max(1, round(w * total * share))) for r, w in readings]
            globals()[name] = model
        clean = PROSE.read_text(encoding="utf-8")
        total = Scores()
        seconds = 0.0
        n_words = 0
        for seed in (1, 2, 3):
            damaged = damage(clean, random.Random(seed))
            repaired, dt = _decode_timed(damaged)
            total = total + score(damaged, repaired, clean)
            seconds += dt
            n_words += _words(damaged)
        _report("(e) own prose, seed model + other engines' one-letter readings (3 seeds)", total,
                n_words, seconds)
    finally:
        _MODEL_A, _MODEL_B = saved


def show_seed() -> None:
    if not SEED.exists():
        print(f"(c) skipped: {SEED} is missing")
        return
    text = SEED.read_text(encoding="utf-8")
    lines = [text[a:b] for a, b, _ in split_lines(text)]
    wanted = {
        "salutation": [i for i, ln in enumerate(lines) if ln.rstrip().endswith("!")][:1],
        "closing": [i for i, ln in enumerate(lines) if ln.strip() and i > len(lines) - 6][-1:],
        "page headers": [i for i, ln in enumerate(lines)
                         if i + 2 < len(lines) and lines[i + 1].strip()[:2].isdigit()
                         and lookalike_score(lines[i]) > 0.5 and not lines[i - 1].strip()],
    }
    goals = {"rOCnO,DHfl AneKCaH,Dpy JIYKameHKo": "Господину Александру Лукашенко",
             "21 HIOIT 2004 r.": "21 июля 2004 г.",
             "3-a5I cTpaHHIJa": "3-я страница", "21 HlOn5I 2004 r.": "21 июля 2004 г.",
             "I1cKpeHHe": "Искренне",
             "Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!": "Уважаемый господин Лукашенко!"}
    for damaged, want in goals.items():
        got = decode(damaged)
        print(f"(c) goal {'met ' if got == want else 'MISSED'} {damaged!r} -> {got!r}"
              + ("" if got == want else f" (want {want!r})"))
    decoded_lines = decode(text)
    out = [decoded_lines[a:b] for a, b, _ in split_lines(decoded_lines)]
    for name, idx in wanted.items():
        for i in idx:
            span = range(i, min(i + 3, len(lines))) if name == "page headers" else [i]
            for j in span:
                print(f"(c) {name:12} line {j + 1:3}: {lines[j].strip()!r} -> {out[j].strip()!r}")


def measure_detection() -> None:
    samples: list[tuple[str, bool]] = []
    for f in sorted((CORPUS / "ocr").glob("*.txt")):
        russian = f.name.startswith("tolstoy-")
        text = f.read_text(encoding="utf-8")
        samples += [(text[a:b], russian) for a, b, _ in split_lines(text)
                    if any(c.isalpha() for c in text[a:b])]
        if russian:
            gold = json.loads(f.with_suffix("").with_suffix(".gold.json").read_text("utf-8"))
            clean = gold["clean_text"]
            samples += [(clean[a:b], False) for a, b, _ in split_lines(clean)
                        if any(c.isalpha() for c in clean[a:b])]
    if not samples:
        print("(d) skipped: no corpus")
        return
    t = time.perf_counter()
    scores = [lookalike_score(s) for s, _ in samples]
    dt = time.perf_counter() - t
    pos = [sc for sc, (_, y) in zip(scores, samples) if y]
    neg = [sc for sc, (_, y) in zip(scores, samples) if not y]
    print(f"(d) detection on corpus lines: {sum(x >= 0.5 for x in pos)}/{len(pos)} look-alike "
          f"lines found, {sum(x >= 0.5 for x in neg)}/{len(neg)} English/Cyrillic lines "
          f"wrongly flagged; {len(samples) / dt:,.0f} lines/s")


def main() -> int:
    show = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    t = time.perf_counter()
    decode_edits("MbI")  # load the lexicon once, outside the timings
    print(f"lexicon load: {time.perf_counter() - t:.2f} s")
    measure_corpus(show)
    measure_prose(show)
    show_seed()
    measure_detection()
    measure_engines(show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
