# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The chart of the indicators PDF, drawn on the server as inline SVG: the
DSO of each month as bars (days, left axis) and the CEI as a line (%, right
axis). Plain SVG 1.1 that wkhtmltopdf 0.12 renders: no script, no CSS
variables, no web fonts."""
import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 46, 46, 30, 40
DSO_COLOR = "#1f4e79"
BAR_COLOR = "#9cbcdc"
CEI_COLOR = "#c85a00"
GRID_COLOR = "#d9d9d9"
TEXT_COLOR = "#333333"
TICKS = 5


def nice_ceiling(value, ticks=TICKS):
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten per
    tick) at or above ``value``."""
    if value <= 0:
        return float(ticks)
    step = value / ticks
    power = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= step:
            return factor * power * ticks
    return 10 * power * ticks


def _text(x, y, label, size=10, anchor="middle", color=TEXT_COLOR,
          weight="normal"):
    return ('<text x="%.1f" y="%.1f" font-family="Helvetica, Arial, '
            'sans-serif" font-size="%d" font-weight="%s" fill="%s" '
            'text-anchor="%s">%s</text>' % (
                x, y, size, weight, color, anchor, escape(label)))


def kpi_chart_svg(months, labels):
    """SVG markup of the chart. ``months``: (month label, year label, dso,
    cei) oldest first, dso and cei None when undefined; ``labels``: the
    legend's "dso" and "cei" texts."""
    count = max(len(months), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / count
    dso_values = [m[2] for m in months if m[2] is not None]
    cei_values = [m[3] for m in months if m[3] is not None]
    dso_max = nice_ceiling(max([v for v in dso_values if v > 0] or [0]))
    cei_max = max(100.0, nice_ceiling(max(cei_values or [0])))

    def y_dso(value):
        return base - plot_h * max(0.0, min(value, dso_max)) / dso_max

    def y_cei(value):
        return base - plot_h * max(0.0, min(value, cei_max)) / cei_max

    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
             'height="%d" viewBox="0 0 %d %d">' % (
                 WIDTH, HEIGHT, WIDTH, HEIGHT)]
    # Grid and both axes' ticks.
    for tick in range(TICKS + 1):
        y = base - plot_h * tick / TICKS
        parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" '
                     'stroke="%s" stroke-width="1"/>' % (
                         LEFT, y, LEFT + plot_w, y, GRID_COLOR))
        parts.append(_text(LEFT - 6, y + 3, "%g" % (
            round(dso_max * tick / TICKS, 1)), 9, "end", DSO_COLOR))
        parts.append(_text(LEFT + plot_w + 6, y + 3, "%g" % (
            round(cei_max * tick / TICKS, 1)), 9, "start", CEI_COLOR))
    # DSO bars, with their value above.
    bar_w = slot * 0.56
    for index, (month, year, dso, _cei) in enumerate(months):
        center = LEFT + slot * (index + 0.5)
        if dso is not None and dso > 0:
            top = y_dso(dso)
            parts.append('<rect x="%.1f" y="%.1f" width="%.1f" '
                         'height="%.1f" fill="%s"/>' % (
                             center - bar_w / 2, top, bar_w, base - top,
                             BAR_COLOR))
            parts.append(_text(center, top - 3, "%.0f" % dso, 8,
                               color=DSO_COLOR))
        parts.append(_text(center, base + 13, month, 9))
        if index == 0 or months[index - 1][1] != year:
            parts.append(_text(center, base + 25, year, 8,
                               color="#777777"))
    parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999999"'
                 ' stroke-width="1"/>' % (LEFT, base, LEFT + plot_w, base))
    # The CEI line, broken where it is undefined.
    segment = []
    segments = [segment]
    for index, month in enumerate(months):
        if month[3] is None:
            segment = []
            segments.append(segment)
            continue
        segment.append((LEFT + slot * (index + 0.5), y_cei(month[3]),
                        month[3]))
    for points in segments:
        if len(points) > 1:
            parts.append('<polyline fill="none" stroke="%s" '
                         'stroke-width="2" points="%s"/>' % (
                             CEI_COLOR, " ".join("%.1f,%.1f" % (x, y)
                                                 for x, y, _v in points)))
        for x, y, value in points:
            parts.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (
                x, y, CEI_COLOR))
            parts.append(_text(x, y - 6, "%.0f" % value, 8, color=CEI_COLOR,
                               weight="bold"))
    # Legend.
    parts.append('<rect x="%d" y="8" width="12" height="10" fill="%s"/>' % (
        LEFT, BAR_COLOR))
    parts.append(_text(LEFT + 17, 17, labels["dso"], 10, "start"))
    parts.append('<line x1="%d" y1="13" x2="%d" y2="13" stroke="%s" '
                 'stroke-width="2"/>' % (LEFT + 150, LEFT + 166, CEI_COLOR))
    parts.append('<circle cx="%d" cy="13" r="3" fill="%s"/>' % (
        LEFT + 158, CEI_COLOR))
    parts.append(_text(LEFT + 171, 17, labels["cei"], 10, "start"))
    parts.append("</svg>")
    return "".join(parts)
