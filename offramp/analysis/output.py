"""Writing a run's report to files: the JSON of every estimate and a self-contained HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from offramp.analysis.presentation import report_context


def report_html(result: dict, *, small_cell: int | None = None) -> str:
    """The same report as the web page, with its styles inlined so the file opens anywhere.
    small_cell: the program's threshold where the run is a program's; None, the deployment's."""
    css = "\n".join(
        Path(finders.find(name)).read_text() for name in ("offramp/site.css", "offramp/report.css")
    )
    return render_to_string(
        "analysis/report_file.html", {**report_context(result, small_cell=small_cell), "css": css}
    )


def write_report(result: dict, out: Path, *, small_cell: int | None = None) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    html, data = out / "report.html", out / "report.json"
    html.write_text(report_html(result, small_cell=small_cell), encoding="utf-8")
    data.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return html, data
