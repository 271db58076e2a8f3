"""Reading sources: decoding bytes, and mapping offsets to unist points.

Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` (as in unist). A form feed, a vertical
tab or U+2028 is *not* a line break here, unlike :meth:`str.splitlines`.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import os
import re
import stat
from array import array
from pathlib import Path
from typing import IO

import attrs

from .errors import InputError, unreadable
from .lines import _NEWLINE, split_lines
from .nodes import Point, Position, Source

__all__ = ["LineIndex", "decode", "open_input", "source_info", "MAX_BYTES", "split_lines"]

#: inputs larger than this are refused (the error says how to raise the limit)
MAX_BYTES = 64 * 1024 * 1024



@attrs.frozen
class LineIndex:
    """Maps code-point offsets of ``text`` to 1-based line/column points."""

    text: str
    #: the offset where each line starts (an array of machine integers: a tenth of the
    #: memory of a list of ints, for a file of a million short lines; equal texts have
    #: equal starts, so equality reads the text only)
    starts: array[int] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        starts = array("q", [0])
        text = self.text
        if "\r" not in text:
            find = text.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
        else:
            starts.extend(m.end() for m in _NEWLINE.finditer(text))
        object.__setattr__(self, "starts", starts)

    def point(self, offset: int) -> Point:
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the source (length {len(self.text)})")
        line = bisect.bisect_right(self.starts, offset) - 1
        # the checks above are the validators' (line >= 1, column >= 1, offset >= 0): skip
        # them when building, as this runs for every node of every document
        return _point(line + 1, offset - self.starts[line] + 1, offset)

    def position(self, start: int, end: int) -> Position:
        if end < start:
            raise ValueError(f"position ends (offset {end}) before it starts (offset {start})")
        return span(self.point(start), self.point(end))


_new = object.__new__
_set = object.__setattr__


def span(start: Point, end: Point) -> Position:
    """The :class:`Position` from ``start`` to ``end``, points known to be in order (the
    tree builder's: a parent's span from its children's points)."""
    pos = _new(Position)
    _set(pos, "start", start)
    _set(pos, "end", end)
    return pos


def _point(line: int, column: int, offset: int) -> Point:
    """A :class:`Point` whose values are known to be valid (no validators run)."""
    p = _new(Point)
    _set(p, "line", line)
    _set(p, "column", column)
    _set(p, "offset", offset)
    return p


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Cyrillic single-byte encodings users meet in Russian letters, in the order we try them.
_CYRILLIC = ("cp1251", "koi8_r")
_CYR_LOWER = re.compile("[а-яё]")
_CYR_UPPER = re.compile("[А-ЯЁ]")


def _cyrillic_score(text: str) -> float:
    """How much ``text`` looks like ordinary Russian: lower-case letters dominate."""
    lower = len(_CYR_LOWER.findall(text))
    upper = len(_CYR_UPPER.findall(text))
    return lower - 3 * upper


def decode(data: bytes, name: str = "<input>", encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)``.

    With ``encoding`` given, that is used strictly. Otherwise: a BOM decides; then
    strict UTF-8; then the Cyrillic code pages (cp1251, KOI8-R) judged by which one
    yields ordinary Russian text; then charset-normalizer. Binary data (NUL bytes,
    control characters) and undecodable bytes raise :class:`InputError`.
    """
    if encoding:
        try:
            return data.decode(encoding), codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: not valid {encoding} at byte {exc.start} ({exc.reason})"
            ) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec} after its byte-order mark at byte {exc.start}") from None
            return text, codec.replace("-sig", "")
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise InputError(f"{name}: binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        _check_text(text, name)
        return text, "utf-8"
    # valid UTF-8 sequences beside invalid bytes: a damaged UTF-8 file, not a code page
    if _UTF8_MULTIBYTE.search(data):
        raise InputError(
            f"{name}: invalid UTF-8 at byte {utf8_error.start} ({utf8_error.reason}); "
            "the file is damaged, or give its encoding with --encoding"
        )
    candidates = []
    for codec in _CYRILLIC:
        text = data.decode(codec, errors="replace")
        candidates.append((_cyrillic_score(text), codec, text))
    best = max(candidates, key=lambda c: c[0])
    letters = sum(ch.isalpha() for ch in best[2][:65536]) or 1
    cyrillic = len(_CYR_LOWER.findall(best[2][:65536])) + len(_CYR_UPPER.findall(best[2][:65536]))
    if best[0] > 0 and cyrillic >= 0.3 * letters and "\ufffd" not in best[2]:
        _check_text(best[2], name)
        return best[2], best[1]
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a dependency
        match = None
    else:
        match = from_bytes(data).best()
    if match is not None and match.encoding and match.percent_chaos <= 10.0 and _looks_like_prose(str(match)):
        text, used = _latin_choice(data, str(match), codecs.lookup(match.encoding).name)
        _check_text(text, name)
        return text, used
    raise InputError(
        f"{name}: cannot decode: not UTF-8 (byte {utf8_error.start}) and no other encoding fits; "
        "give one with --encoding"
    )


#: single-byte code pages of Latin-script letters, tried against charset-normalizer's choice
_LATIN_PAGES = ("cp1252", "cp1250", "iso8859_2", "iso8859_15", "cp1257")


def _latin_choice(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """charset-normalizer's reading ``(text, encoding)`` of ``data``, or another Latin code
    page's, checked against the language of the text: the reading with the fewest letters
    that language does not write (and no control or unassigned characters) wins; a tie
    keeps charset-normalizer's. Latin-1 French read as cp1250 has "Trčs" for "Très": č is
    no French letter, è is."""
    if codecs.lookup(encoding).name not in _LATIN_NAMES:
        return text, encoding  # (a multi-byte or non-Latin reading: not ours to second-guess)
    try:
        # lazy: only a Latin code-page reading asks the language (most inputs are UTF-8)
        from .lang import LATIN_LANGUAGES, detect_language

        language = detect_language(text[:65536])
        if language not in LATIN_LANGUAGES:
            return text, encoding
        alphabet = _alphabet(language)
    except Exception:  # noqa: BLE001 - no word lists: keep charset-normalizer's answer
        return text, encoding
    best = (_improbable(text[:65536], alphabet), text, encoding)
    for codec in _LATIN_PAGES:
        used = codecs.lookup(codec).name
        if used == best[2]:
            continue
        try:
            other = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _improbable(other[:65536], alphabet)
        if score < best[0]:
            best = (score, other, used)
    return best[1], best[2]


_LATIN_NAMES = frozenset(codecs.lookup(c).name for c in (*_LATIN_PAGES, "latin_1", "cp1254", "iso8859_9",
                                                         "iso8859_4", "iso8859_13", "mac_roman", "mac_latin2"))


def _improbable(text: str, alphabet: frozenset[str]) -> int:
    """How many characters of ``text`` are unlikely in a language of ``alphabet``: letters
    beyond ASCII it does not write, and control, private or unassigned characters."""
    import unicodedata

    count = 0
    for ch in set(text):
        if ord(ch) < 128:
            continue
        if ch.isalpha():
            bad = ch.lower() not in alphabet
        else:
            bad = unicodedata.category(ch) in ("Cc", "Co", "Cn")
        if bad:
            count += text.count(ch)
    return count


_ALPHABETS: dict[str, frozenset[str]] = {}


def _alphabet(language: str) -> frozenset[str]:
    """The letters of the most frequent words of ``language`` (wordfreq)."""
    found = _ALPHABETS.get(language)
    if found is None:
        import wordfreq

        found = _ALPHABETS[language] = frozenset("".join(wordfreq.top_n_list(language, 3000, wordlist="small")))
    return found


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _looks_like_prose(text: str) -> bool:
    """Words separated by spaces or line breaks, as any letter has."""
    sample = text[:8192]
    spaces = sum(ch.isspace() for ch in sample)
    return len(sample) < 12 or (spaces > 0 and spaces * 40 >= len(sample))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: NUL in every other byte of ASCII-range text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    codec = "utf-16-le" if odd_nul > 0.3 and even_nul < 0.05 else "utf-16-be" if even_nul > 0.3 and odd_nul < 0.05 else None
    if codec is None:
        return _utf16_one_script(data, sample)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text[:4096]) and len(_CONTROL.findall(text[:4096])) > 8:
        return None
    return text, codec


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _utf16_one_script(data: bytes, sample: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark of a text in one non-Latin alphabet (Russian: its
    letters are U+04xx, its spaces, digits and line breaks U+00xx): the high bytes take
    two or three values, 0 among them, the low bytes many. The text read must be prose:
    letters and spaces, no control or unassigned characters."""
    import unicodedata

    for codec, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        counts: dict[int, int] = {}
        for b in high:
            counts[b] = counts.get(b, 0) + 1
        top = sorted(counts.values(), reverse=True)[:3]
        if not high or 0 not in counts or sum(top) < 0.95 * len(high) or len(counts) > 6:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        head = text[:4096]
        bad = sum(1 for ch in head if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\n\r\t\f")
        letters = sum(ch.isalpha() for ch in head)
        if bad == 0 and letters >= 0.5 * len(head) and _looks_like_prose(head):
            return text, codec
    return None


def _check_text(text: str, name: str) -> None:
    """Refuse text that is really binary: many control characters."""
    sample = text[:65536]
    if not sample:
        return
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{name}: binary file ({controls} control characters), not text")


def source_info(text: str, name: str | None, encoding: str, raw: bytes | None = None) -> Source:
    """The :class:`Source` record of a decoded text (sha256 of the raw bytes if given)."""
    # (surrogatepass: a str may hold lone surrogates, which parse() keeps)
    digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8", "surrogatepass")).hexdigest()
    return Source(name=name, sha256=digest, encoding=encoding, length=len(text), text=text)


def open_input(path: str | os.PathLike[str], label: str, limit: int) -> IO[bytes]:
    """The file at ``path`` opened for reading bytes, after the checks every reader makes:
    a directory, a file over ``limit`` bytes, or one that cannot be opened is an
    :class:`InputError` naming ``label`` and the problem in one line."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{label}: is a directory, not a file")
        info = p.stat()
        if not stat.S_ISREG(info.st_mode) and not _open_pipe(p, info.st_mode):
            # opening a FIFO with no writer blocks for ever; a device may never end
            raise InputError(f"{label}: is {_special_kind(info.st_mode)}, not a regular file "
                             "(to read a stream, give - and redirect it to stdin)")
        size = info.st_size
        if size > limit:
            raise InputError(f"{label}: too large ({size:,} bytes; the limit is {limit:,})")
        return p.open("rb")
    except OSError as exc:
        raise unreadable(label, exc) from None


def _open_pipe(path: Path, mode: int) -> bool:
    """Whether ``path`` is a pipe some process already holds open (``/dev/stdin``, a
    shell's ``<(command)`` as ``/dev/fd/63``): reading it ends when its writer does,
    unlike opening a named FIFO no one writes to, which blocks."""
    return stat.S_ISFIFO(mode) and "/fd/pipe:[" in os.path.realpath(path)


def _special_kind(mode: int) -> str:
    """What a file that is not a regular file is, for an error message."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"
