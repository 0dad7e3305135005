"""Charts for the generated documents, drawn with matplotlib (Agg, no display) to PNG.

They follow the dashboard's ECharts look (same palette, bars of this year against the same period last
year). Chinese labels need a font with CJK glyphs (DESIGN: fonts-wqy-microhei); without one the chart
is still drawn, with a warning in the log, and its Chinese text shows as empty boxes.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, ft2font  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

log = logging.getLogger(__name__)

PREFERRED_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_SAMPLE = "安全事故"
THIS_YEAR, LAST_YEAR = "#5470c6", "#91cc75"  # ECharts' default palette, as on the dashboard
DPI = 200


def _has_cjk(path: str) -> bool:
    try:
        charmap = ft2font.FT2Font(path).get_charmap()
    except Exception:  # unreadable or unsupported font file
        return False
    return all(ord(c) in charmap for c in CJK_SAMPLE)


@functools.cache
def cjk_font() -> str | None:
    """The family name of a font with CJK glyphs, registered with matplotlib; None if there is none."""
    names = ("wqy", "noto sans cjk", "noto serif cjk", "source han", "simhei", "simsun", "yahei", "droid")

    def candidates():
        if PREFERRED_FONT.exists():
            yield str(PREFERRED_FONT)
        yield from sorted(
            font_manager.findSystemFonts(),
            key=lambda p: not any(n in Path(p).name.lower().replace("-", " ") for n in names),
        )

    for path in candidates():
        if _has_cjk(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    log.warning("no font with Chinese glyphs found: bulletin charts will show boxes for Chinese text")
    return None


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _rc() -> dict:
    family = cjk_font()
    rc = {"axes.unicode_minus": False, "font.size": 9}
    if family:
        rc["font.family"] = [family, "DejaVu Sans"]
    return rc


def _png(fig: Figure) -> io.BytesIO:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    buf.seek(0)
    return buf


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e0e6f1", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _numbers(values: list) -> list[float]:
    """Figures for plotting: a value that is not known (None, "—") is NaN, drawn as nothing."""
    return [float(v) if isinstance(v, int | float) else math.nan for v in values]


def _bar_labels(values: list[float]) -> list[str]:
    return ["" if math.isnan(v) else f"{v:g}" for v in values]


def by_area(rows: list[dict], this_label: str, last_label: str) -> io.BytesIO:
    """Two panels side by side — 事故起数 and 死亡人数 per area, this year against last year, as horizontal
    bars so that many areas (a province's cities, a county's townships) stay legible."""
    with matplotlib.rc_context(_rc()):
        labels = [r["label"] for r in rows][::-1]
        height = max(2.4, 0.32 * len(rows) + 1.0)
        fig = _figure(5.9, height)
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (title, now_key, then_key) in zip(
            axes,
            (
                ("事故起数（起）", "count", "count_last_year"),
                ("死亡人数（人）", "deaths", "deaths_last_year"),
            ),
            strict=True,
        ):
            now = [r[now_key] for r in rows][::-1]
            then = _numbers([r[then_key] for r in rows][::-1])
            ys = range(len(rows))
            bar = 0.38
            a = ax.barh([y + bar / 2 for y in ys], now, height=bar, color=THIS_YEAR, label=this_label)
            b = ax.barh([y - bar / 2 for y in ys], then, height=bar, color=LAST_YEAR, label=last_label)
            ax.bar_label(a, padding=2, fontsize=7)
            ax.bar_label(b, labels=_bar_labels(then), padding=2, fontsize=7, color="#555")
            ax.set_yticks(list(ys), labels)
            ax.set_title(title, fontsize=10)
            ax.margins(x=0.15)
            _style(ax)
        fig.legend(
            handles=[a, b],
            labels=[this_label, last_label],
            loc="outside lower center",
            ncols=2,
            frameon=False,
        )
        return _png(fig)


def by_month(
    months: list[str], series: dict[str, tuple[list[int], list[int | None]]], labels: tuple[str, str]
):
    """Month by month, this year against last year: one panel per measure (起数, 死亡人数)."""
    with matplotlib.rc_context(_rc()):
        fig = _figure(5.9, 2.6)
        axes = fig.subplots(1, len(series))
        lines = []
        for ax, (title, (now, known)) in zip(axes, series.items(), strict=True):
            then = _numbers(known)  # a month of last year not known leaves a gap in its line
            xs = range(len(months))
            lines = [
                ax.plot(xs, now, marker="o", markersize=3, color=THIS_YEAR, label=labels[0])[0],
                ax.plot(xs, then, marker="o", markersize=3, color=LAST_YEAR, label=labels[1])[0],
            ]
            for x, v in zip(xs, now, strict=True):
                ax.annotate(
                    str(v), (x, v), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=6
                )
            ax.set_title(title, fontsize=10)
            _style(ax)
            ax.set_xticks(list(xs), months, fontsize=7)
            ax.set_ylim(0, max([*now, *(v for v in then if not math.isnan(v)), 1]) * 1.25)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(axis="y", color="#e0e6f1", linewidth=0.6)
            ax.grid(axis="x", visible=False)
        fig.legend(handles=lines, labels=list(labels), loc="outside lower center", ncols=2, frameon=False)
        return _png(fig)
