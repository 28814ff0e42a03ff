"""Server-rendered SVG charts: love plot, Kaplan-Meier plot, forest plot.

No script and no external assets, so they print and work offline. Each chart is an image with a
<title> and a <desc> (role="img", aria-labelledby) and carries its numbers as text; arms differ by
line style and marker shape as well as colour (WCAG 1.4.1), in colours that colour-blind readers
can tell apart (Okabe-Ito blue and vermillion).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from html import escape
from typing import Any

BLUE = "#0072B2"
ORANGE = "#D55E00"
GREY = "#595959"  # 7:1 on white
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _id(title: str) -> str:
    return "c" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:10]


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    cid = _id(title + desc)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d" {FONT}>'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, s: str, anchor: str = "start", **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(s)}</text>'


def _fmt(v: float) -> str:
    return f"{v:.2f}"


def love_plot(
    *,
    rows: list[dict[str, Any]],
    title: str = "Covariate balance before and after adjustment",
    threshold: float = 0.1,
) -> str:
    """Absolute standardized mean differences per covariate: open circle before, filled after."""
    left, right, top, step = 220, 120, 40, 20
    width = 640
    height = top + step * len(rows) + 50
    plot_w = width - left - right
    vmax = max([abs(r["smd_before"]) for r in rows] + [abs(r["smd_after"]) for r in rows] + [threshold * 2])
    vmax = math.ceil(vmax * 10) / 10

    def x(v: float) -> float:
        return float(left + plot_w * abs(v) / vmax)

    body = [_text(left, 20, "Absolute standardized mean difference", fill=GREY)]
    y_axis = top + step * len(rows)
    body.append(f'<line x1="{left}" y1="{top - 8}" x2="{left}" y2="{y_axis}" stroke="{GREY}"/>')
    body.append(f'<line x1="{left}" y1="{y_axis}" x2="{left + plot_w}" y2="{y_axis}" stroke="{GREY}"/>')
    for k in range(int(round(vmax * 10)) + 1):
        v = k / 10
        if k % max(1, int(round(vmax * 10)) // 5) == 0:
            body.append(_text(x(v), y_axis + 16, f"{v:.1f}", "middle"))
    body.append(
        f'<line x1="{x(threshold):.1f}" y1="{top - 8}" x2="{x(threshold):.1f}" y2="{y_axis}" '
        f'stroke="{GREY}" stroke-dasharray="4 3"/>'
    )
    body.append(_text(x(threshold) + 4, top - 12, f"{threshold} threshold", fill=GREY))
    for i, r in enumerate(rows):
        y = top + step * i + step / 2
        body.append(_text(left - 8, y + 4, r["covariate"], "end"))
        b, a = abs(r["smd_before"]), abs(r["smd_after"])
        body.append(
            f'<circle cx="{x(b):.1f}" cy="{y:.1f}" r="5" fill="none" stroke="{ORANGE}" stroke-width="2"/>'
        )
        body.append(f'<rect x="{x(a) - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{BLUE}"/>')
        body.append(_text(left + plot_w + 8, y + 4, f"{_fmt(b)} to {_fmt(a)}", fill=GREY))
    ly = height - 12
    body.append(
        f'<circle cx="{left + 6}" cy="{ly - 4}" r="5" fill="none" stroke="{ORANGE}" stroke-width="2"/>'
    )
    body.append(_text(left + 16, ly, "before (open circle)"))
    body.append(f'<rect x="{left + 170}" y="{ly - 8}" width="8" height="8" fill="{BLUE}"/>')
    body.append(_text(left + 184, ly, "after (filled square)"))
    worst = max(rows, key=lambda r: abs(r["smd_after"]), default=None)
    desc = (
        f"{len(rows)} covariates. "
        + (
            f"Largest absolute difference after adjustment: {worst['covariate']} at "
            f"{abs(worst['smd_after']):.2f}; "
            if worst
            else ""
        )
        + f"{sum(abs(r['smd_after']) < threshold for r in rows)} of {len(rows)} below {threshold}."
    )
    return _svg(width, height, title, desc, body)


def _steps(
    times: list[float],
    values: list[float],
    x: Callable[[float], float],
    y: Callable[[float], float],
    t_max: float,
) -> list[tuple[float, float]]:
    pts = [(x(0), y(1.0))]
    prev = 1.0
    for t, v in zip(times, values, strict=True):
        pts += [(x(t), y(prev)), (x(t), y(v))]
        prev = v
    pts.append((x(t_max), y(prev)))
    return pts


DAYS_PER_MONTH = 365.25 / 12


def _month_ticks(t_max_days: float) -> list[int]:
    months = t_max_days / DAYS_PER_MONTH
    step = next(m for m in (1, 3, 6, 12, 24, 60) if months / m <= 8)
    return list(range(0, int(months) + 1, step))


def km_plot(
    *,
    curves: dict[str, dict[str, Any]],
    title: str = "Share not yet re-arrested",
    x_label: str = "Months since the index date",
) -> str:
    """Kaplan-Meier curves with shaded pointwise confidence bands; ``curves`` maps arm label to
    the dict returned by survival.kaplan_meier (time in days, survival, lower, upper, level).
    The axis is in months; the legend sits under the plot so no label is cut."""
    n = len(curves)
    width, left, right, top = 640, 60, 20, 30
    ph = 250
    height = top + ph + 50 + 22 * n
    pw = width - left - right
    t_max = max([max(c["time"], default=1.0) for c in curves.values()] + [1.0])

    def x(t: float) -> float:
        return left + pw * t / t_max

    def y(s: float) -> float:
        return top + ph * (1 - s)

    body = [
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="{GREY}"/>',
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="{GREY}"/>',
    ]
    for k in range(6):
        s = k / 5
        body.append(_text(left - 6, y(s) + 4, f"{s:.0%}", "end"))
    for m in _month_ticks(t_max):
        body.append(_text(x(m * DAYS_PER_MONTH), top + ph + 16, f"{m}", "middle"))
    body.append(_text(left + pw / 2, top + ph + 36, x_label, "middle"))
    styles = [(BLUE, ""), (ORANGE, ' stroke-dasharray="6 4"'), ("#009E73", ' stroke-dasharray="2 3"')]
    summary = []
    level = 0.95
    for i, (label, c) in enumerate(curves.items()):
        level = c.get("level", level)
        colour, dash = styles[i % len(styles)]
        upper = _steps(c["time"], c["upper"], x, y, t_max)
        lower = _steps(c["time"], c["lower"], x, y, t_max)
        band = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower[::-1])
        body.append(f'<polygon points="{band}" fill="{colour}" fill-opacity="0.15" stroke="none"/>')
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in _steps(c["time"], c["survival"], x, y, t_max))
        body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        last = c["survival"][-1] if c["survival"] else 1.0
        months = c["time"][-1] / DAYS_PER_MONTH if c["time"] else 0.0
        ly = top + ph + 60 + 22 * i
        body.append(
            f'<line x1="{left}" y1="{ly - 4}" x2="{left + 24}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        body.append(_text(left + 30, ly, f"{label}: {last:.0%} after {months:.0f} months"))
        summary.append(f"{label}: {last:.0%} after {months:.0f} months" if c["time"] else f"{label}: no data")
    desc = f"Kaplan-Meier estimates with shaded {level:.0%} confidence bands. " + "; ".join(summary) + "."
    return _svg(width, height, title, desc, body)


def forest_plot(
    *,
    rows: list[dict[str, Any]],
    title: str = "Effect estimates",
    null: float = 1.0,
    axis_label: str = "Ratio (log scale); below 1 favours the intervention",
    level: float = 0.95,
) -> str:
    """One row per estimate: ``{"label", "estimate", "ci_low", "ci_high"}`` on a log scale."""
    left, right, top, step = 250, 170, 30, 24
    width = 720
    height = top + step * len(rows) + 50
    pw = width - left - right
    finite = [v for r in rows for v in (r["ci_low"], r["ci_high"]) if v and v > 0 and math.isfinite(v)]
    lo = min(finite + [null / 2])
    hi = max(finite + [null * 2])
    llo, lhi = math.log(lo), math.log(hi)

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return left + pw * (math.log(v) - llo) / (lhi - llo)

    y_axis = top + step * len(rows)
    body = [
        f'<line x1="{x(null):.1f}" y1="{top - 6}" x2="{x(null):.1f}" y2="{y_axis}" stroke="{GREY}" '
        f'stroke-dasharray="4 3"/>',
        f'<line x1="{left}" y1="{y_axis}" x2="{left + pw}" y2="{y_axis}" stroke="{GREY}"/>',
        _text(left + pw / 2, height - 10, axis_label, "middle"),
    ]
    for tick in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        if lo <= tick <= hi:
            body.append(_text(x(tick), y_axis + 16, f"{tick:g}", "middle"))
    lines = []
    for i, r in enumerate(rows):
        yy = top + step * i + step / 2
        body.append(_text(left - 8, yy + 4, r["label"], "end"))
        est, a, b = r["estimate"], r["ci_low"], r["ci_high"]
        if est is None or not (a and b and math.isfinite(a) and math.isfinite(b)):
            body.append(_text(left + pw + 8, yy + 4, "not estimated", fill=GREY))
            lines.append(f"{r['label']}: not estimated")
            continue
        body.append(
            f'<line x1="{x(a):.1f}" y1="{yy:.1f}" x2="{x(b):.1f}" y2="{yy:.1f}" stroke="{BLUE}" '
            'stroke-width="2"/>'
        )
        body.append(f'<rect x="{x(est) - 5:.1f}" y="{yy - 5:.1f}" width="10" height="10" fill="{BLUE}"/>')
        text = f"{est:.2f} ({a:.2f} to {b:.2f})"
        body.append(_text(left + pw + 8, yy + 4, text))
        lines.append(f"{r['label']}: {text}")
    return _svg(
        width,
        height,
        title,
        f"Estimates with {level:.0%} confidence intervals. " + "; ".join(lines) + ".",
        body,
    )
