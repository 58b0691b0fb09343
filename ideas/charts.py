"""A running total over time, drawn as an SVG line chart on the server: no script, no library.

This module buckets counts by day (or by week when the period is long) and computes the chart's
coordinates; templates/ideas/_chart.html writes the SVG, and the page shows the same buckets as a
table beside it.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

# Longer periods than this are shown by week: a point a day stops being readable.
DAYS_SHOWN_BY_DAY = 42

# The drawing's own units (the viewBox); the SVG scales to its container.
# Narrow, with large text, so the labels stay readable when it shrinks on a phone.
WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 16, 64


@dataclass(frozen=True)
class Bucket:
    """A day or a week: what was added in it, and the running total at its end."""

    start: date
    end: date
    new: int
    total: int


@dataclass(frozen=True)
class Tick:
    position: float
    value: object
    anchor: str = "middle"


@dataclass(frozen=True)
class LineChart:
    points: str
    area: str
    markers: list[tuple[float, float]]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def x_title(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, self.height - 12

    @property
    def y_title(self) -> tuple[float, float]:
        return 20, (self.top + self.bottom) / 2


def buckets(counts: dict[date, int], first: date, last: date) -> tuple[list[Bucket], bool]:
    """The days from `first` to `last` with their counts and running totals, grouped by week
    (Monday to Sunday, the ends cut to the period) when the period is long; and whether it was.
    Days outside the period widen it, so the last total is always the sum of every count."""
    if counts:
        first, last = min(first, *counts), max(last, *counts)
    last = max(first, last)
    weekly = (last - first).days + 1 > DAYS_SHOWN_BY_DAY
    result: list[Bucket] = []
    total = 0
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=6 - start.weekday())) if weekly else start
        new = sum(counts.get(start + timedelta(days=n), 0) for n in range((end - start).days + 1))
        total += new
        result.append(Bucket(start=start, end=end, new=new, total=total))
        start = end + timedelta(days=1)
    return result, weekly


def nice_ticks(maximum: int) -> list[int]:
    """Round steps from 0 to at least `maximum`, four or five of them: 0, 5, 10… or 0, 20, 40…"""
    maximum = max(1, maximum)
    rough = maximum / 4
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= rough)
    step = max(1, int(step))
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def line_chart(series: list[Bucket]) -> LineChart:
    """The running total as a line from zero at the start of the first bucket to each bucket's
    end, with the y axis in round numbers and the x axis labelled at both ends and the middle."""
    y_values = nice_ticks(series[-1].total if series else 0)
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    step = (right - left) / max(1, len(series))

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / y_values[-1], 1)

    corners = [(float(left), y(0))] + [
        (round(left + step * (index + 1), 1), y(bucket.total))
        for index, bucket in enumerate(series)
    ]
    points = " ".join(f"{x},{y_}" for x, y_ in corners)
    area = f"M{left},{bottom} L" + " L".join(f"{x},{y_}" for x, y_ in corners)
    area += f" L{corners[-1][0]},{bottom} Z"
    x_ticks = [Tick(position=float(left), value=series[0].start, anchor="start")] if series else []
    if len(series) > 2:
        middle = len(series) // 2
        x_ticks.append(Tick(position=round(left + step * middle, 1), value=series[middle].start))
    if len(series) > 1:
        x_ticks.append(Tick(position=float(right), value=series[-1].end, anchor="end"))
    return LineChart(
        points=points,
        area=area,
        markers=[corner for corner, bucket in zip(corners[1:], series, strict=True) if bucket.new],
        x_ticks=x_ticks,
        y_ticks=[Tick(position=y(value), value=value) for value in y_values],
    )
