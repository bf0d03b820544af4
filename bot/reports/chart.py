"""The weekly chart: the official categories per agency as stacked horizontal bars (PNG).

Built on `matplotlib.figure.Figure` with the Agg canvas and no pyplot, so there is no global
figure state: the caller renders it in a worker thread (`asyncio.to_thread`) while the bot
keeps serving. DejaVu Sans carries every Vietnamese diacritic.
"""

from __future__ import annotations

from io import BytesIO

from bot.domain.rollup import CATEGORY_LABELS_VI, Category, Counts
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
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


def chart_rows(
    agencies: tuple[AgencyRow, ...], limit: int = MAX_AGENCIES
) -> list[tuple[str, Counts]]:
    """At most `limit` agencies (worst first, as given), the rest summed as "Khác"."""
    if len(agencies) <= limit:
        return [(_short(a.name), a.counts) for a in agencies]
    shown = [(_short(a.name), a.counts) for a in agencies[: limit - 1]]
    rest = sum((a.counts for a in agencies[limit - 1 :]), Counts())
    return [*shown, (f"{OTHERS_LABEL} ({len(agencies) - limit + 1} đơn vị)", rest)]


def render_chart(rollup: Rollup, *, title: str | None = None) -> bytes:
    """PNG bytes of the categories per agency; the worst agency on top."""
    # Imported here: matplotlib takes ~0.5 s to import, a third of the bot's start-up and of
    # every `dondoc` command; only a summary with its chart needs it, in its worker thread.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = chart_rows(rollup.agencies)
    height = max(3.0, 1.6 + 0.38 * max(len(rows), 1))
    figure = Figure(figsize=(11, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [name for name, _ in rows][::-1]  # barh draws bottom-up: worst goes on top
    left = [0] * len(rows)
    for category in ORDER:
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
    figure.legend(
        loc="outside lower center",
        ncol=3,
        frameon=False,
        prop={"family": FONT, "size": 9},
    )
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
