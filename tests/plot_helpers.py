"""Helpers shared by the test_plot_* modules: the number of topics of the Europarl model, and
the checks every saved figure must pass."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from discourse import plot

K = 5  # topics of the Europarl model the figures draw


def save_and_check(fig, tmp_path: Path, name: str) -> None:
    """Save ``fig`` as PDF and PNG and check both: TrueType fonts embedded, a sensible size."""
    paths = plot.savefig(fig, tmp_path / name, formats=("pdf", "png"))
    assert [p.suffix for p in paths] == [".pdf", ".png"]
    pdf = paths[0].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType font embedded
    png = plt.imread(paths[1])
    width_in, height_in = fig.get_size_inches()
    # bbox="tight" trims margins: the PNG is at most the figure size at 300 dpi, and not tiny
    assert png.shape[1] <= width_in * 300 + 2 and png.shape[1] > width_in * 300 * 0.5
