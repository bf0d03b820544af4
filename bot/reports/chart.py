"""The weekly chart: the official categories per agency as stacked horizontal bars (PNG).

Built on `matplotlib.figure.Figure` with the Agg canvas and no pyplot, so there is no global
figure state: the caller renders it in a worker thread (`asyncio.to_thread`) while the bot
keeps serving. DejaVu Sans carries every Vietnamese diacritic.
"""

from __future__ import annotations

from io import BytesIO

from bot.domain.rollup import CATEGORY_LABELS_VI, Category, Counts
from bot.domain.text import cut_at_word
from bot.services.summary import AgencyRow, Rollup

MAX_AGENCIES = 25
OTHERS_LABEL = "Khác"
NAME_LIMIT = 38
FONT = "DejaVu Sans"
# Worst cells at the left of each bar, so the eye meets the problems first; every cell of
# the partition has its colour (reds overdue, oranges late, blues under way, greens done,
# paler shades without deadline), so a bar's length is the agency's total.
ORDER = (
    Category.NOT_STARTED_OVERDUE,
    Category.IN_PROGRESS_OVERDUE,
    Category.DONE_LATE,
    Category.NOT_STARTED_NOT_DUE,
    Category.IN_PROGRESS_ON_TIME,
    Category.AWAITING,
    Category.DONE_ON_TIME,
    Category.NOT_STARTED_NO_DEADLINE,
    Category.IN_PROGRESS_NO_DEADLINE,
    Category.AWAITING_NO_DEADLINE,
    Category.DONE_NO_DEADLINE,
)
COLOURS = {
    Category.NOT_STARTED_OVERDUE: "#8b0000",
    Category.IN_PROGRESS_OVERDUE: "#d62728",
    Category.DONE_LATE: "#ff9f1c",
    Category.NOT_STARTED_NOT_DUE: "#7f7f7f",
    Category.IN_PROGRESS_ON_TIME: "#1f77b4",
    Category.AWAITING: "#9467bd",
    Category.DONE_ON_TIME: "#2ca02c",
    Category.NOT_STARTED_NO_DEADLINE: "#c7c7c7",
    Category.IN_PROGRESS_NO_DEADLINE: "#9ecae1",
    Category.AWAITING_NO_DEADLINE: "#c5b0d5",
    Category.DONE_NO_DEADLINE: "#98df8a",
}


def _short(name: str) -> str:
    return cut_at_word(name, NAME_LIMIT)


def chart_rows(
    agencies: tuple[AgencyRow, ...], limit: int = MAX_AGENCIES
) -> list[tuple[str, Counts]]:
    """At most `limit` agencies (worst first, as given), the rest summed as "Khác"."""
    if len(agencies) <= limit:
        return [(_short(a.name), a.counts) for a in agencies]
    shown = [(_short(a.name), a.counts) for a in agencies[: limit - 1]]
    rest = sum((a.counts for a in agencies[limit - 1 :]), Counts())
    return [*shown, (f"{OTHERS_LABEL} ({len(agencies) - limit + 1} đơn vị)", rest)]


def shown_cells(rows: list[tuple[str, Counts]]) -> list[Category]:
    """The cells that occur, in the bars' order: the legend names nothing that is not drawn."""
    return [c for c in ORDER if any(counts.cell(c) for _, counts in rows)]


def render_chart(rollup: Rollup, *, title: str | None = None) -> bytes:
    """PNG bytes of the cells per agency, the worst agency on top; for one agency, a single
    status bar labelled in place (no legend to decode)."""
    rows = chart_rows(rollup.agencies)
    if len(rows) == 1:
        return render_status_bar(rows[0][0], rows[0][1], at=rollup.at.strftime("%d/%m/%Y"))
    # Imported here: matplotlib takes ~0.5 s to import, a third of the bot's start-up and of
    # every `dondoc` command; only a summary with its chart needs it, in its worker thread.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = max(3.0, 1.6 + 0.38 * max(len(rows), 1))
    figure = Figure(figsize=(11, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [name for name, _ in rows][::-1]  # barh draws bottom-up: worst goes on top
    left = [0] * len(rows)
    for category in shown_cells(rows):
        values = [getattr(counts, category.value) for _, counts in rows][::-1]
        axes.barh(
            names,
            values,
            left=left,
            color=COLOURS[category],
            label=CATEGORY_LABELS_VI[category],
            edgecolor="white",
            linewidth=0.5,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel("Số lượt giao (nhiệm vụ giao cho đơn vị)", fontfamily=FONT)
    scope = f" — Thông báo số {rollup.notice_number}" if rollup.notice_number else ""
    heading = title or f"Kết quả thực hiện nhiệm vụ theo đơn vị{scope}"
    axes.set_title(
        f"{heading}\n(số liệu đến ngày {rollup.at.strftime('%d/%m/%Y')})",
        fontfamily=FONT,
        fontsize=12,
    )
    for label in axes.get_yticklabels():
        label.set_fontfamily(FONT)
        label.set_fontsize(9)
    locator = axes.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # AutoLocator, the default: whole numbers of tasks
        locator.set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if not rows:
        axes.text(0.5, 0.5, "Chưa có nhiệm vụ", ha="center", va="center", transform=axes.transAxes)
    # A figure legend "outside" the axes: constrained layout makes room, nothing overlaps.
    if shown_cells(rows):
        figure.legend(
            loc="outside lower center",
            ncol=3,
            frameon=False,
            prop={"family": FONT, "size": 9},
        )
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def render_status_bar(name: str, counts: Counts, *, at: str) -> bytes:
    """One agency's assignments as one bar, each part labelled with its count and name."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cells = [c for c in ORDER if counts.cell(c)]
    figure = Figure(figsize=(8, 2.2 + 0.32 * len(cells)), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    left = 0
    for category in cells:
        value = counts.cell(category)
        axes.barh([0], [value], left=left, color=COLOURS[category], edgecolor="white")
        left += value
    axes.set_xlim(0, max(left, 1))
    axes.set_axis_off()
    axes.set_title(
        f"{_short(name)}: {counts.total} nhiệm vụ\n(số liệu đến ngày {at})",
        fontfamily=FONT,
        fontsize=12,
    )
    # The labels under the bar, one per line, each with the colour of its part.
    width = max(left, 1)
    for line, category in enumerate(cells):
        y = -0.7 - 0.45 * line
        axes.text(0, y, "■", color=COLOURS[category], fontfamily=FONT, fontsize=12, va="top")
        label = f"{CATEGORY_LABELS_VI[category]}: {counts.cell(category)}"
        axes.text(0.035 * width, y, label, fontfamily=FONT, fontsize=11, va="top")
    axes.set_ylim(-0.9 - 0.45 * len(cells), 0.6)
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
