"""Bar charts for the dashboard, drawn on the server as SVG (no script, no library, works offline and
under the pages' Content-Security-Policy). This module computes the geometry; the template
``dashboard/_bar_chart.html`` draws it, with a text alternative for screen readers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600
HEIGHT = 180
TOP = 12  # room for the values above the bars
BOTTOM = 34  # room for the labels below
LEFT = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    over: bool  # above the limit line
    labelled: bool  # its label is drawn (at most about six are, so they never overlap)


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    limit_y: float | None  # the limit's line, when there is one
    limit: int | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM

    @property
    def label_y(self) -> float:
        return self.height - BOTTOM + 22


def bar_chart(*, title: str, values: Sequence[tuple[str, int]], limit: int | None = None) -> BarChart:
    """One bar per (label, value); ``limit`` draws a dashed line and marks the bars above it."""
    top_value = max([value for _label, value in values] + [limit or 0, 1])
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(values), 1)
    width = max(2.0, slot * 0.7)
    every = max(1, math.ceil(len(values) / 6))  # at most about six labels: legible on a phone

    def y_of(value: float) -> float:
        return TOP + plot_height * (1 - value / top_value)

    bars = [
        Bar(
            x=round(LEFT + i * slot + (slot - width) / 2, 1),
            y=round(y_of(value), 1),
            width=round(width, 1),
            height=round(plot_height * value / top_value, 1),
            label=label,
            value=value,
            over=limit is not None and value > limit,
            labelled=i % every == 0,
        )
        for i, (label, value) in enumerate(values)
    ]
    return BarChart(title=title, bars=bars, limit_y=round(y_of(limit), 1) if limit else None, limit=limit)
