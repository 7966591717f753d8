"""Build the documentation gallery (docs/gallery.md, docs/gallery/*.png) from the example output.

    make run                                  # writes out/example/
    python scripts/build_gallery.py [out/example]

Every PNG figure listed in the run's manifest.json is copied into docs/gallery/ at 900 pixels
wide, reduced to 128 colours (a few tens of kilobytes each, to keep the repository small),
and the page lists them by analysis with the path of the full-size file and of its table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
WIDTH = 900

INTRO = """# Gallery

Every figure of the example analysis (`make run`, `examples/analysis.yaml` — three analyses
on real corpora), as `make run` draws it in `out/example/figures/`: PDF for
the paper, PNG at 300 dpi. The images here are reduced copies, rebuilt by
`python scripts/build_gallery.py` after `make run`. Nothing was redrawn by hand.

The run also writes the interactive LDAvis page `out/example/figures/europarl/lda_ldavis.html`
(its JavaScript beside it, it opens offline); its topics are numbered and placed as on the
intertopic map below (same coordinates, T1 = topic 0 of the tables).
"""


def _caption(path: str) -> str:
    stem = Path(path).stem
    return stem.replace("_", " ").replace("-", " ")


def build(out_dir: Path) -> list[Path]:
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    figures = sorted(o["path"] for o in manifest["outputs"] if o["kind"] == "figure" and o["path"].endswith(".png"))
    if not figures:
        raise SystemExit(f"{out_dir}/manifest.json lists no PNG figure")
    target = DOCS / "gallery"
    target.mkdir(exist_ok=True)
    for old in target.glob("*.png"):
        old.unlink()
    written, sections = [], {}
    for rel in figures:
        analysis = Path(rel).parent.name
        name = f"{analysis}__{Path(rel).name}"
        with Image.open(out_dir / rel) as image:
            image = image.convert("RGB")
            if image.width > WIDTH:
                image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
            image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            image.save(target / name, optimize=True)
        written.append(target / name)
        sections.setdefault(analysis, []).append((rel, name))
    lines = [INTRO]
    for analysis, items in sections.items():
        lines.append(f"\n## {analysis}\n")
        for rel, name in items:
            lines.append(f"### {_caption(rel)}\n")
            lines.append(f"![{_caption(rel)}](gallery/{name})\n")
            lines.append(f"`out/example/{rel}` (and `.pdf`)\n")
    (DOCS / "gallery.md").write_text("\n".join(lines), encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "out" / "example"
    written = build(out_dir)
    size = sum(p.stat().st_size for p in written)
    print(f"docs/gallery.md: {len(written)} figures, {size / 1e6:.2f} MB in docs/gallery/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
