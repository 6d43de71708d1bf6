"""Small server-side SVG charts with an accessible name, a description and the same data as
a table, so that no chart is the only way to read its numbers (WCAG 1.1.1, 1.4.1)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

_ids = itertools.count(1)
Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # None: no data for that category (drawn as a gap)


@dataclass(frozen=True)
class Chart:
    """An SVG and its table alternative (headers, then one row per category)."""

    title: str
    description: str
    svg: Markup
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)  # series names, for charts with several


# Text is measured, not guessed at a fixed margin: the widest glyphs of the charts' 13 px
# font (digits, capitals, "%") stay under 8.2 units, so a label given this much room is
# never clipped at the edge of the picture ("95,6 %", "Q4/2026").
CHAR_W = 8.2
NO_DATA = "—"


def text_width(text: str) -> float:
    return len(text) * CHAR_W


def label_step(labels: Sequence[str], room: float) -> int:
    """Show every n-th category label so that neighbours never overlap."""
    widest = max((text_width(label) for label in labels), default=0.0) + 8
    per = room / max(1, len(labels))
    step = 1
    while step * per < widest and step < len(labels):
        step += 1
    return step


def _cell(fmt: Formatter, value: float | None) -> str:
    return NO_DATA if value is None else fmt(value)


def _open(width: int, height: int, title: str, description: str) -> tuple[str, str]:
    ident = f"chart-{next(_ids)}"
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-t">{escape(title)}</title>'
            f'<desc id="{ident}-d">{escape(description)}</desc>')
    return ident, head


def bar_chart(*, title: str, description: str, labels: Sequence[str], values: Sequence[float],
              label_header: str, value_header: str, fmt: Formatter = lambda v: f"{v:g}") -> Chart:
    """Horizontal bars: category names stay readable on a phone."""
    bar_h, gap, width = 22, 10, 560
    label_w = max((text_width(label) for label in labels), default=0.0) + 14
    value_w = max((text_width(fmt(v)) for v in values), default=0.0) + 10
    height = max(1, len(values)) * (bar_h + gap) + gap
    top = max(values, default=0) or 1
    _, svg = _open(width, height, title, description)
    parts = [svg]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = max(0.0, width - label_w - value_w) * value / top
        parts.append(
            f'<text class="chart-label" x="{label_w - 8:.1f}" y="{y + bar_h * 0.7:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{label_w:.1f}" y="{y}" width="{w:.1f}" '
            f'height="{bar_h}"/>'
            f'<text class="chart-value" x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}">'
            f'{escape(fmt(value))}</text>')
    parts.append("</svg>")
    rows = [[label, fmt(value)] for label, value in zip(labels, values, strict=True)]
    return Chart(title, description, Markup("".join(parts)),  # noqa: S704 - every text escaped
                 [label_header, value_header], rows)


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indexes of the values with data, in unbroken runs: a line never bridges a gap."""
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def line_chart(*, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
               label_header: str, fmt: Formatter = lambda v: f"{v:g}",
               partial_at: int | None = None, secondary: Sequence[Series] = (),
               band: tuple[Series, Series] | None = None) -> Chart:
    """Lines over time; each series is also told apart by its marker shape, not only colour.

    A category without data is a gap, not a zero; the category at `partial_at` (a month
    still running) is drawn with dashed lines into and out of it and a hollow marker.
    `secondary` series (another unit, e.g. staff beside contacts) get their own scale, ticked
    on the right; a `band` (low, high) on the first scale is shaded. The table holds them all.
    """
    width, height, top_pad, bottom = 560, 260, 16, 40

    def scale(group: Sequence[Series]) -> tuple[float, float, Callable[[float], float]]:
        values = [v for s in group for v in s.values if v is not None]
        low, high = min(min(values, default=0.0), 0.0), max(values, default=1.0)
        span = (high - low) or 1.0
        return low, high, lambda v: top_pad + (height - top_pad - bottom) * (1 - (v - low) / span)

    low, high, y = scale([*series, *(band or ())])
    low2, high2, y2 = scale(secondary)
    widest = max((text_width(label) for label in labels), default=0.0)
    left = max(text_width(fmt(high)), text_width(fmt(low))) + 12
    left, right = max(left, widest / 2 + 4), max(16.0, widest / 2 + 4)
    if secondary:
        right = max(right, text_width(fmt(high2)) + 12, text_width(fmt(low2)) + 12)
    n = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / n

    _, svg = _open(width, height, title, description)
    parts = [svg, f'<line class="chart-axis" x1="{left:.1f}" y1="{y(low):.1f}" '
                  f'x2="{width - right:.1f}" y2="{y(low):.1f}"/>',
             f'<text class="chart-tick" x="{left - 6:.1f}" y="{y(high) + 4:.1f}" '
             f'text-anchor="end">{escape(fmt(high))}</text>',
             f'<text class="chart-tick" x="{left - 6:.1f}" y="{y(low) + 4:.1f}" '
             f'text-anchor="end">{escape(fmt(low))}</text>']
    step = label_step(labels, width - left - right + widest)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(f'<text class="chart-tick" x="{x(i):.1f}" y="{height - bottom + 18}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    if band is not None:
        spans = [i for i in range(len(labels))
                 if band[0].values[i] is not None and band[1].values[i] is not None]
        outline = [(x(i), y(float(band[1].values[i] or 0))) for i in spans] + [
            (x(i), y(float(band[0].values[i] or 0))) for i in reversed(spans)]
        parts.append('<polygon class="chart-band" points="'
                     + " ".join(f"{px:.1f},{py:.1f}" for px, py in outline) + '"/>')
    groups: list[tuple[Sequence[Series], Callable[[float], float]]] = [(series, y)]
    if secondary:
        groups.append((secondary, y2))
        parts += [f'<text class="chart-tick" x="{width - right + 6:.1f}" '
                  f'y="{y2(high2) + 4:.1f}">{escape(fmt(high2))}</text>',
                  f'<text class="chart-tick" x="{width - right + 6:.1f}" '
                  f'y="{y2(low2) + 4:.1f}">{escape(fmt(low2))}</text>']
    k = 0
    for group, ys in groups:
        for s in group:
            parts += _line(s, k, x, ys, partial_at)
            k += 1
    parts.append("</svg>")
    lines = [*series, *secondary]
    every = [*lines, *(band or ())]
    rows = [[label, *(_cell(fmt, s.values[i]) for s in every)]
            for i, label in enumerate(labels)]
    return Chart(title, description, Markup("".join(parts)),  # noqa: S704 - every text escaped
                 [label_header, *(s.label for s in every)], rows,
                 [s.label for s in lines] if len(lines) > 1 else [])


def _line(s: Series, k: int, x: Callable[[int], float], y: Callable[[float], float],
          partial_at: int | None) -> list[str]:
    """One series' line segments (never across a gap) and markers, shape alternating by `k`."""
    parts: list[str] = []
    for run in _runs(s.values):
        for a, b in itertools.pairwise(run):
            dashed = " chart-partial" if partial_at in (a, b) else ""
            parts.append(f'<polyline class="chart-line chart-line-{k % 4}{dashed}" '
                         f'points="{x(a):.1f},{y(float(s.values[a] or 0)):.1f} '
                         f'{x(b):.1f},{y(float(s.values[b] or 0)):.1f}"/>')
    for i, v in enumerate(s.values):
        if v is None:
            continue
        cx, cy = x(i), y(v)
        hollow = " chart-hollow" if i == partial_at else ""
        if k % 2:
            parts.append(f'<rect class="chart-marker-{k % 4}{hollow}" x="{cx - 4:.1f}" '
                         f'y="{cy - 4:.1f}" width="8" height="8"/>')
        else:
            parts.append(f'<circle class="chart-marker-{k % 4}{hollow}" cx="{cx:.1f}" '
                         f'cy="{cy:.1f}" r="4"/>')
    return parts


def stacked_bar_chart(*, title: str, description: str, labels: Sequence[str],
                      series: Sequence[Series], label_header: str, total_header: str,
                      fmt: Formatter = lambda v: f"{v:g}") -> Chart:
    """Columns split into parts (e.g. a saving shared three ways); the table adds the total."""
    width, height, bottom, top_pad = 560, 260, 40, 16
    # The first and last labels are centred on their columns: leave half a label of room.
    left = max(16.0, max((text_width(label) for label in labels), default=0.0) / 2 + 4)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    slot = (width - left * 2) / max(1, len(labels))
    bar_w = min(48.0, slot * 0.7)
    _, svg = _open(width, height, title, description)
    parts = [svg, f'<line class="chart-axis" x1="{left:.1f}" y1="{height - bottom}" '
                  f'x2="{width - left:.1f}" y2="{height - bottom}"/>']
    step = label_step(labels, width - left * 2)
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = float(height - bottom)
        for k, s in enumerate(series):
            h = (height - bottom - top_pad) * (s.values[i] or 0) / top
            base -= h
            parts.append(f'<rect class="chart-seg-{k % 4}" x="{x:.1f}" y="{base:.1f}" '
                         f'width="{bar_w:.1f}" height="{h:.1f}"/>')
        if i % step == 0:
            parts.append(f'<text class="chart-tick" x="{x + bar_w / 2:.1f}" '
                         f'y="{height - bottom + 18}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    rows = [[label, *(_cell(fmt, s.values[i]) for s in series), fmt(totals[i])]
            for i, label in enumerate(labels)]
    return Chart(title, description, Markup("".join(parts)),  # noqa: S704 - every text escaped
                 [label_header, *(s.label for s in series), total_header], rows,
                 [s.label for s in series])
