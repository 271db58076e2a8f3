"""Build a real-OCR set: letters typed on page images, mildly "scanned", read by Tesseract.

    python scripts/realocr.py [--shared PATH] [-o /tmp/realocr] [--english N] [--jobs J]

Each letter is rendered with Pillow in a typewriter-like monospace font (DejaVu Sans Mono,
Liberation Mono or FreeMono, chosen from a hash of the letter's name), one text line per
printed line (the letter's own spaces kept), 66 lines a page (a form feed starts a page),
then given a mild deterministic scan noise (a small rotation, a blur, speckles, uneven ink)
and read by the system's ``tesseract`` (Tesseract 5 from Debian: ``tesseract-ocr
tesseract-ocr-eng tesseract-ocr-rus``):

* English letters (every k-th letter of ``corpus/letters`` and ``corpus/wide/letters``,
  ``--english`` of them): ``-l eng``;
* Russian letters (the Tolstoy letters of ``corpus/letters``, found by the gold's
  ``language``, and the paragraphs of ``tests/data/ru_prose.txt`` as further pages): both
  ``-l eng`` (genuine look-alike text, the way the seed was made) and ``-l rus`` (a control).

Writes ``OUT/<kind>/<name>.txt`` (the OCR text; ``kind`` is ``en``, ``ru-as-eng`` or
``ru-rus``), ``OUT/<kind>/<name>.clean.txt`` (what was typed) and ``OUT/index.json``: each
item with its kind, name and split (``dev``: learn confusions from it; ``test``: report on
it; alternating by name). OUT must stay outside the repository: it holds corpus letters.
Nothing is redone for an item whose output exists. Prints counts; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
)
W, H = 1700, 2200  # US letter at 200 dpi
LINES_PER_PAGE = 60
SIZE = 27


def _hash(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16)


def _pages(text: str) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        while "\f" in line:
            head, _, line = line.partition("\f")
            if head.strip():
                pages[-1].append(head)
            pages.append([])
        if len(pages[-1]) >= LINES_PER_PAGE:
            pages.append([])
        pages[-1].append(line.expandtabs(8))
    return [p for p in pages if any(x.strip() for x in p)]


def _render(lines: list[str], font_path: str, rng: random.Random) -> object:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(font_path, SIZE)
    img = Image.new("L", (W, H), 255)
    draw = ImageDraw.Draw(img)
    x0, y = 150, 150
    step = int(SIZE * 1.45)
    for line in lines:
        ink = rng.randint(0, 60)  # uneven ink from line to line
        draw.text((x0 + rng.randint(-2, 2), y), line.rstrip(), font=font, fill=ink)
        y += step
    # speckles
    for _ in range(rng.randint(40, 120)):
        px, py = rng.randrange(W), rng.randrange(H)
        r = rng.choice((1, 1, 1, 2))
        draw.ellipse((px, py, px + r, py + r), fill=rng.randint(110, 190))
    img = img.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BILINEAR, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    return img


def _ocr_one(job: tuple[str, str, str, str]) -> str:
    """Render ``text`` (one item) and OCR it with ``lang``; write the outputs."""
    text, name, lang, out = job
    out_txt = Path(out)
    if out_txt.exists():
        return name
    rng = random.Random(_hash(name))
    font = FONTS[_hash(name) % len(FONTS)]
    parts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, lines in enumerate(_pages(text)):
            img = _render(lines, font, rng)
            png = Path(tmp) / f"p{i}.png"
            img.save(png)  # type: ignore[attr-defined]
            res = subprocess.run(["tesseract", str(png), "stdout", "-l", lang, "--psm", "6"],
                                 capture_output=True, text=True, check=False)
            if res.returncode != 0:
                raise RuntimeError(f"tesseract failed on {name}: {res.stderr.strip()}")
            parts.append(res.stdout.rstrip("\n\f "))
    out_txt.write_text("\n\f\n".join(parts) + "\n", "utf-8")
    out_txt.with_name(out_txt.name[:-4] + ".clean.txt").write_text(text, "utf-8")
    return name


def _language(txt: Path) -> str | None:
    gold = txt.with_name(txt.name[:-4] + ".gold.json")
    if not gold.is_file():
        return None
    data = json.loads(gold.read_text("utf-8"))
    return data.get("language")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-o", "--out", type=Path, default=Path("/tmp/realocr"))
    parser.add_argument("--english", type=int, default=60, help="how many English letters")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(ROOT):
        parser.error("the output holds corpus letters: write it outside the repository")
    corpus = args.shared / "corpus"
    en: list[Path] = []
    ru: list[Path] = []
    for folder in (corpus / "letters", corpus / "wide" / "letters"):
        for txt in sorted(folder.glob("*.txt")):
            lang = _language(txt)
            if lang == "ru" and folder.name == "letters" and folder.parent == corpus:
                ru.append(txt)
            elif lang == "en":
                en.append(txt)
    step = max(1, len(en) // max(1, args.english))
    en = en[::step][: args.english]
    items: list[dict[str, str]] = []
    jobs: list[tuple[str, str, str, str]] = []

    def add(kind: str, name: str, text: str, lang: str, k: int) -> None:
        folder = args.out / kind
        folder.mkdir(parents=True, exist_ok=True)
        items.append({"kind": kind, "name": name, "split": "dev" if k % 2 == 0 else "test"})
        jobs.append((text, f"{kind}/{name}", lang, str(folder / f"{name}.txt")))

    for k, txt in enumerate(en):
        add("en", txt.name[:-4], txt.read_text("utf-8"), "eng", k)
    russian = [(t.name[:-4], t.read_text("utf-8")) for t in ru]
    prose = ROOT / "tests" / "data" / "ru_prose.txt"
    if prose.is_file():
        paras = [p.strip() for p in prose.read_text("utf-8").split("\n\n") if p.strip()]
        for i in range(0, len(paras), 3):
            russian.append((f"ru_prose-{i // 3:02d}", "\n\n".join(paras[i:i + 3]) + "\n"))
    for k, (name, text) in enumerate(russian):
        add("ru-as-eng", name, text, "eng", k)
        add("ru-rus", name, text, "rus", k)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "index.json").write_text(json.dumps(items, indent=1), "utf-8")
    with ProcessPoolExecutor(args.jobs) as pool:
        for n, _name in enumerate(pool.map(_ocr_one, jobs), 1):
            if n % 20 == 0:
                print(f"  {n}/{len(jobs)}", flush=True)
    counts: dict[str, int] = {}
    for it in items:
        counts[f"{it['kind']} {it['split']}"] = counts.get(f"{it['kind']} {it['split']}", 0) + 1
    print(f"{len(items)} items in {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
