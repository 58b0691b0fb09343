"""Numbers side by side, drawn as horizontal SVG bars on the server: no script, no library.

The companion of ideas/charts.py (a running total as a line): this module computes the bars'
coordinates, templates/statistics/_bar_chart.html writes the SVG, and the page shows the same
numbers as a table beside it, so the chart is one image to assistive technology.
"""

import math
from dataclasses import dataclass

from ideas.charts import Tick, nice_ticks

# The drawing's own units (the viewBox); the SVG scales to its container. Labels sit left of
# the bars, the value right of each bar.
WIDTH = 480
LEFT, RIGHT, TOP, BOTTOM = 180, 56, 8, 56
BAR, GAP = 22, 10
# A label longer than this is cut with "…": an SVG text does not wrap, and the table beside
# the chart gives the whole name.
LABEL_CHARS = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    length: float

    @property
    def middle(self) -> float:
        return self.y + BAR / 2

    @property
    def value_x(self) -> float:
        return round(LEFT + self.length + 6, 1)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    x_ticks: list[Tick]
    height: int
    width: int = WIDTH
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bar_height: int = BAR

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def x_title(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, self.height - 12


def short_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(items: list[tuple[str, float]]) -> BarChart:
    """One bar for each (label, value), in the order given, against an axis of round numbers
    from zero."""
    values = nice_ticks(math.ceil(max((value for _label, value in items), default=0)))
    scale = (WIDTH - RIGHT - LEFT) / values[-1]
    bars = [
        Bar(
            label=short_label(label),
            value=value,
            y=TOP + GAP / 2 + index * (BAR + GAP),
            length=round(value * scale, 1),
        )
        for index, (label, value) in enumerate(items)
    ]
    height = TOP + len(items) * (BAR + GAP) + BOTTOM
    return BarChart(
        bars=bars,
        x_ticks=[Tick(position=round(LEFT + value * scale, 1), value=value) for value in values],
        height=height,
    )
