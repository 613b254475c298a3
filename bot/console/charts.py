"""Geometry for the dashboard's inline SVG charts, computed here so templates only draw.

Bars are horizontal with the label and the number written beside each bar, so a chart reads without
colour and a screen reader hears the same text; line charts also come with a table of their numbers.
"""
from __future__ import annotations

import math
from datetime import date

SERIES_STYLES = 6  # .series-0 ... .series-5 in console.css: colour plus a dash pattern


def bars(items: list[tuple[str, int]], *, width: int = 520, row: int = 30, label_width: int = 200) -> dict:
    room = width - label_width - 48  # leave space for the number after the longest bar
    top = max((value for _, value in items), default=0) or 1
    rows = [{"label": label, "value": value, "y": index * row, "x": label_width,
             "length": max(2 if value else 0, round(room * value / top))}
            for index, (label, value) in enumerate(items)]
    return {"width": width, "height": max(row, len(items) * row), "row": row, "rows": rows}


def _nice_ceiling(value: int) -> int:
    """A round, even top for the axis (4, 6, 10, 20, 40, 60, 100...) so the middle gridline is a whole number."""
    if value <= 4:
        return 4
    magnitude = 10 ** int(math.log10(value))
    return next(step * magnitude for step in (1, 2, 4, 6, 10) if step * magnitude >= value and
                (step * magnitude) % 2 == 0)


def lines(weeks: list[date], series: dict[str, list[int]], *, width: int = 560, height: int = 240) -> dict:
    left, right, top, bottom = 40, 100, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = _nice_ceiling(max((v for values in series.values() for v in values), default=0))
    step = plot_w / max(1, len(weeks) - 1)

    def x(i: int) -> float:
        return round(left + i * step, 1)

    def y(v: int) -> float:
        return round(top + plot_h - plot_h * v / ceiling, 1)

    drawn = []
    for number, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        drawn.append({"name": name, "points": points, "style": f"series-{number % SERIES_STYLES}",
                      "end_x": x(len(values) - 1) + 6, "end_y": y(values[-1]) + 4 if values else 0,
                      "total": sum(values)})
    _spread_labels(drawn, gap=14)
    return {
        "width": width, "height": height, "left": left, "plot_right": left + plot_w, "top": top,
        "bottom": top + plot_h, "series": drawn,
        "x_ticks": [(x(i), f"{week:%d %b}") for i, week in enumerate(weeks) if (len(weeks) - 1 - i) % 2 == 0],
        "y_ticks": [(y(v), v) for v in (0, ceiling // 2, ceiling)],
    }


def _spread_labels(drawn: list[dict], gap: int) -> None:
    """Series ending at the same value would print their names on top of each other: push them apart."""
    previous = None
    for item in sorted(drawn, key=lambda d: d["end_y"]):
        if previous is not None and item["end_y"] - previous < gap:
            item["end_y"] = previous + gap
        previous = item["end_y"]
