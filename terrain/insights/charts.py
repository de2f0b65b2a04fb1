"""Charts drawn on the server as inline SVG: no JavaScript, readable with a table beside them."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 160, 8


@dataclass(frozen=True)
class LineChart:
    label: str
    points: str  # SVG polyline points
    minimum: int
    maximum: int
    first: object
    last: object
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(series: list[tuple[object, int]], *, label: str) -> LineChart | None:
    """A polyline of (day, value) pairs scaled into the chart box; None when there is nothing to draw."""
    if not series:
        return None
    values = [value for _, value in series]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(series) - 1, 1)
    coordinates = []
    for index, value in enumerate(values):
        x = PAD + index * step
        y = HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD)
        coordinates.append(f"{x:.1f},{y:.1f}")
    return LineChart(label, " ".join(coordinates), low, high, series[0][0], series[-1][0])
