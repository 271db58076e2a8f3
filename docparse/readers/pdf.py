"""PDF with a text layer (born-digital, or OCR'd by ocrmypdf and the like), read with
pypdfium2 (the ``pdf`` extra), imported only when a PDF is read."""

from __future__ import annotations

from ..errors import InputError
from ._model import Box, Line, Page, Word, union


def _pdfium(label: str):  # type: ignore[no-untyped-def]
    try:
        import pypdfium2  # type: ignore[import-untyped,unused-ignore]
        import pypdfium2.raw  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise InputError(f"{label}: reading PDF needs pypdfium2: pip install "
                         "'docparse-letters[pdf]'") from None
    return pypdfium2, pypdfium2.raw


def read(data: bytes, label: str, file: str | None = None) -> list[Page]:
    """The pages of a PDF's text layer, y measured down from the top of each page."""
    pdfium, raw = _pdfium(label)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{label}: not a readable PDF ({str(exc).splitlines()[0]})") from None
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            lines = _lines(textpage, raw, height)
            pages.append(Page(width=round(width, 2), height=round(height, 2), lines=tuple(lines),
                              file=file))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise InputError(f"{label}: not a readable PDF ({str(exc).splitlines()[0]})") from None
    finally:
        pdf.close()
    if not pages:
        raise InputError(f"{label}: a PDF without pages")
    if not any(p.lines for p in pages):
        raise InputError(f"{label}: a PDF without a text layer (a scanned image?): run OCR "
                         "first (e.g. ocrmypdf, or tesseract to ALTO or hOCR) and parse its output")
    return pages


def _lines(textpage, raw, height: float) -> list[Line]:  # type: ignore[no-untyped-def]
    """The page's characters grouped into lines (at pdfium's line breaks) and words."""
    lines: list[Line] = []
    words: list[Word] = []
    chars: list[str] = []
    boxes: list[Box] = []

    def end_word() -> None:
        if chars:
            words.append(Word(text="".join(chars), box=union(boxes) if boxes else None))
            chars.clear()
            boxes.clear()

    def end_line() -> None:
        end_word()
        if words:
            wb = [w.box for w in words if w.box is not None]
            lines.append(Line(text=" ".join(w.text for w in words), box=union(wb) if wb else None,
                              words=tuple(words)))
            words.clear()

    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if ch in ("\r", "\n", "\x02"):
            end_line()
            continue
        if not ch or ch.isspace():
            end_word()
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        chars.append(ch)
        if right > left or top > bottom:
            boxes.append((round(left, 2), round(height - top, 2), round(right, 2),
                          round(height - bottom, 2)))
    end_line()
    return lines
