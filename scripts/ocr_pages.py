"""Render letters to page images and OCR them with Tesseract: text, hOCR and ALTO.

    python scripts/ocr_pages.py LETTER.txt|DIR... -o OUT [--layouts typed,styled] [--limit N]

For each letter (a ``.txt``, with its ``.gold.json`` beside it where there is one) and
each layout, writes ``OUT/<layout>/<name>/``: ``page-N.png``, and Tesseract's
``ocr.txt``, ``ocr.hocr`` and ``ocr.xml`` (ALTO) of all its pages, plus ``letter.txt``
and ``letter.gold.json`` (copies of the input, for scoring). Layouts:

* ``typed``: a typewriter page: DejaVu Sans Mono, every line at its column (the
  letter's own spaces), a form feed starts a new page;
* ``styled``: a word-processor page: DejaVu Serif, the lines at the left margin, except
  the dateline set flush right, the closing and signature block from the middle of the
  page, the recipient address in the window of a DIN 5008 letter (45 mm from the top)
  and a letterhead (the lines before the address or date, for letters that have one)
  centred. Which line is which comes from the gold file (without one: typed only).

OUT must be outside the repository when the letters are corpus letters (their text is
not ours to publish). Needs Pillow and the ``tesseract`` command (Debian:
``tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus``). Pages render at 200 dpi (A4:
1654 x 2339 px).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

W, H = 1654, 2339  # A4 at 200 dpi
MM = 200 / 25.4
MARGIN_X = int(25 * MM)
TOP = int(20 * MM)
BOTTOM = H - int(20 * MM)
SIZE = 26
FONTS = {
    "typed": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "styled": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()).casefold()


def _roles(lines: list[str], gold: dict | None) -> list[str]:
    """Each line's role for the styled layout: date, address, closer (closing and
    signature), head (a letterhead before the address or date) or body."""
    roles = ["body"] * len(lines)
    letters = gold.get("letters", [gold]) if gold else []
    if len(letters) != 1:
        return roles
    g = letters[0]
    normed = [_norm(x) for x in lines]
    date = _norm(g.get("date") or "")
    if date:
        for k, n in enumerate(normed):
            if n and (n == date or (len(n) > 6 and n in date) or (len(date) > 6 and date in n)):
                roles[k] = "date"
                break
    address = {_norm(a) for a in g.get("address") or []}
    for k, n in enumerate(normed):
        if n in address and roles[k] == "body":
            roles[k] = "address"
    closing = _norm(g.get("closing") or "")
    names = [_norm(s) for s in (g.get("signatories") or [])]
    for k, n in enumerate(normed):
        if closing and n and n == closing:
            roles[k] = "closer"
            j = k + 1
            while j < len(lines) and (not normed[j] or any(normed[j] in s or s in normed[j] for s in names if s)):
                if normed[j]:
                    roles[j] = "closer"
                j += 1
            break
    first = next((k for k, r in enumerate(roles) if r in ("address", "date")), None)
    if first is not None and first > 0 and first <= 4:
        for k in range(first):
            if normed[k]:
                roles[k] = "head"
    return roles


def render(text: str, layout: str, gold: dict | None, out: Path) -> list[Path]:
    """Page images of ``text`` in ``layout``."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONTS[layout], SIZE)
    pitch = int(SIZE * 1.45)
    cw = font.getlength("n")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    roles = _roles(lines, gold) if layout == "styled" else ["body"] * len(lines)
    pages: list[Path] = []
    image = draw = None
    y = 0

    def new_page() -> None:
        nonlocal image, draw, y
        if image is not None:
            path = out / f"page-{len(pages) + 1}.png"
            image.save(path)
            pages.append(path)
        image = Image.new("L", (W, H), 255)
        draw = ImageDraw.Draw(image)
        y = TOP

    new_page()
    window_done = False
    for line, role in zip(lines, roles):
        if line.startswith("\f"):
            new_page()
            line = line.lstrip("\f")
        if y + pitch > BOTTOM:
            new_page()
        body = line.strip()
        if layout == "typed":
            x = MARGIN_X + cw * (len(line) - len(line.lstrip(" "))) + cw * 8 * (len(line) - len(line.lstrip("\t")))
            body = line.strip("\t")
            body = body.lstrip(" ")
        elif role == "date":
            x = W - MARGIN_X - font.getlength(body)
        elif role == "closer":
            x = W // 2
        elif role == "head":
            x = (W - font.getlength(body)) / 2
        elif role == "address":
            if not window_done:
                y = max(y, int(45 * MM))
                window_done = True
            x = int(20 * MM) + MARGIN_X - int(25 * MM)
        else:
            x = MARGIN_X
        if body:
            assert draw is not None
            draw.text((x, y), body, font=font, fill=0)
        y += pitch
    new_page()
    return pages


def ocr(pages: list[Path], out: Path, lang: str) -> None:
    listing = out / "pages.lst"
    listing.write_text("".join(f"{p}\n" for p in pages))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(listing), str(out / "ocr"), "-l", lang, "txt", "hocr", "alto"],
                   check=True, capture_output=True, env=env)


def one(job: tuple[str, str, str, str]) -> str:
    src, layout, outdir, lang = job
    path = Path(src)
    gold_path = path.with_name(path.name[: -len(".txt")] + ".gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
    if layout == "styled" and gold is None:
        return f"{src}: no gold, no styled layout"
    out = Path(outdir) / layout / path.stem
    if (out / "ocr.xml").exists():
        return f"{out}: done before"
    out.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8")
    pages = render(text, layout, gold, out)
    ocr(pages, out, lang)
    shutil.copyfile(path, out / "letter.txt")
    if gold is not None:
        shutil.copyfile(gold_path, out / "letter.gold.json")
    return f"{out}: {len(pages)} page(s)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--layouts", default="typed,styled")
    ap.add_argument("--limit", type=int, default=0, help="at most N letters per directory")
    ap.add_argument("--single", action="store_true", help="only letters whose gold has one letter")
    ap.add_argument("--lang", default="eng+rus")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    files: list[Path] = []
    for item in args.inputs:
        p = Path(item)
        found = sorted(p.glob("*.txt")) if p.is_dir() else [p]
        if args.single:
            found = [f for f in found if _single(f)]
        files += found[: args.limit] if args.limit else found
    jobs = [(str(f), layout, args.out, args.lang) for f in files for layout in args.layouts.split(",")]
    with ProcessPoolExecutor(args.jobs) as pool:
        for line in pool.map(one, jobs):
            print(line, flush=True)
    return 0


def _single(path: Path) -> bool:
    gold = path.with_name(path.name[: -len(".txt")] + ".gold.json")
    if not gold.exists():
        return False
    g = json.loads(gold.read_text(encoding="utf-8"))
    return len(g.get("letters", [g])) == 1 and not g.get("running_headers")


if __name__ == "__main__":
    sys.exit(main())
