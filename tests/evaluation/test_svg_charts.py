import xml.etree.ElementTree as ET

from offramp.evaluation import svg

NS = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text)  # noqa: S314 - our own output, not untrusted input
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in text and "href" not in text
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{NS}text")]


def test_it_draws_a_love_plot_with_labels():
    rows = [
        {"covariate": "age", "smd_before": -0.4, "smd_after": 0.02},
        {"covariate": "race_ethnicity=Black & <other>", "smd_before": 0.2, "smd_after": -0.05},
    ]
    root = parse(svg.love_plot(rows=rows))
    assert "race_ethnicity=Black & <other>" in texts(root)  # escaped in the markup, intact as text
    assert "0.40 to 0.02" in texts(root)


def test_it_draws_kaplan_meier_curves_with_bands_in_months():
    curve = {"time": [30.0, 730.5], "survival": [0.9, 0.6], "lower": [0.8, 0.4], "upper": [0.95, 0.75]}
    root = parse(svg.km_plot(curves={"LEAD": curve, "Booked as usual (the comparison group)": curve}))
    assert len(list(root.iter(f"{NS}polygon"))) == 2
    shown = texts(root)
    assert "LEAD: 60% after 24 months" in shown
    # The whole legend label, under the plot, inside the drawing.
    assert "Booked as usual (the comparison group): 60% after 24 months" in shown
    assert {"0", "6", "12", "18", "24"} <= set(shown)  # ticks in months, not days


def test_it_draws_a_forest_plot_and_marks_missing_estimates():
    rows = [
        {"label": "re-arrest", "estimate": 0.42, "ci_low": 0.3, "ci_high": 0.58},
        {"label": "tiny subgroup", "estimate": None, "ci_low": None, "ci_high": None},
    ]
    root = parse(svg.forest_plot(rows=rows))
    assert "0.42 (0.30 to 0.58)" in texts(root)
    assert "not estimated" in texts(root)
