"""Small inline SVG charts (no JavaScript, print well, work offline)."""

from __future__ import annotations

from html import escape


def bars(months: list[str], values: list[int], *, highlight: str | None = None, width: int = 340,
         height: int = 110, title: str = "") -> str:
    """A monthly bar chart with the month labels below; the highlighted month is darker."""
    top = max(values) if values and max(values) > 0 else 1
    left, bottom, gap = 28, 18, 2
    step = (width - left) / max(1, len(values))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="10" class="axis">{top}</text><text x="0" y="{height - bottom}" class="axis">0</text>',
             f'<line x1="{left - 2}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" class="base"/>']
    for i, (month, value) in enumerate(zip(months, values)):
        h = (height - bottom - 6) * value / top
        x = left + i * step
        cls = "bar now" if month == highlight else "bar"
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{max(1.0, step - gap):.1f}" '
                     f'height="{h:.1f}" class="{cls}"><title>{escape(month)}: {value}</title></rect>')
        if i % 3 == 0 or month == highlight:
            parts.append(f'<text x="{x:.1f}" y="{height - 4}" class="axis">{escape(month[2:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def interval_bar(low: float, estimate: float, high: float, scale: float, width: int = 120) -> str:
    """A point with its interval on a 0..scale axis (for the ranked table)."""
    if scale <= 0:
        return ""
    def x(v: float) -> float:
        return 4 + (width - 8) * min(max(v, 0.0), scale) / scale
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="12" viewBox="0 0 {width} 12" '
            f'aria-hidden="true"><line x1="{x(low):.1f}" y1="6" x2="{x(high):.1f}" y2="6" class="ci"/>'
            f'<circle cx="{x(estimate):.1f}" cy="6" r="3" class="pt"/></svg>')
