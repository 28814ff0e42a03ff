"""The council report as files: a self-contained, printable HTML page and the JSON of every figure."""

from __future__ import annotations

import json
from pathlib import Path

from django.template.loader import render_to_string


def report_html(report: dict) -> str:
    return render_to_string("reports/council_file.html", {"report": report})


def report_json(report: dict) -> str:
    return json.dumps(report, indent=1, default=str) + "\n"


def write_report(report: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    html, data = out / "report.html", out / "report.json"
    html.write_text(report_html(report), encoding="utf-8")
    data.write_text(report_json(report), encoding="utf-8")
    return html, data
