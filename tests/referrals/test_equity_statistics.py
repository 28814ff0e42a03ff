"""The equity audit's statistics on a constructed export: Wilson intervals, disparity ratios against the
reference group, officers flagged below their peers, unit and shift (derived from the arrest time), the
SVG charts and the CSV export. Expected numbers are worked by hand (formulas in the comments)."""

import csv
import io
import re

import polars as pl
import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.referrals import screening
from offramp.referrals.actions import screening_run_create
from offramp.referrals.equity import Row, breakdown
from offramp.referrals.models import ScreenedArrest
from tests.referrals.screening_files import ASSAULT, POSSESSION, diverted, project_manager, publish_seattle

MAPPING = """
[columns]
incident_number = "IncidentNo"
incident_date = "ArrestDate"
incident_time = "ArrestTime"
statute = "ChargeCode"
quantity_grams = "NetWeightG"
substance = "DrugType"
date_of_birth = "DOB"
race = "Race"
officer = "Officer"
unit = "Unit"

[formats]
incident_date = "%m/%d/%Y"

[values.race]
B = "Black or African American"
W = "White"

[values.substance]
HER = "heroin"
"""
# officer, unit, arrest time, eligible arrests, of which diverted (the first ones)
OFFICERS = [
    ("Adams", "Patrol North", "08:30", 60, 12),  # Day
    ("Baker", "Patrol North", "16:00", 60, 36),  # Evening
    ("Cruz", "Bike Unit", "02:15", 30, 15),  # Night: before 07:00 wraps to the shift that began at 23:00
    ("Diaz", "Bike Unit", "23:30", 5, 0),  # Night
    ("Evans", "Bike Unit", "06:59", 4, 0),  # Night
]
# Totals: 159 eligible, 63 offered. Race alternates B, W within each officer:
# B 80 eligible, 32 offered (6 + 18 + 8); W 79 eligible, 31 offered (6 + 18 + 7).


def _export() -> tuple[bytes, list[str]]:
    lines, offered = (
        ["IncidentNo,ArrestDate,ArrestTime,ChargeCode,NetWeightG,DrugType,DOB,Race,Officer,Unit"],
        [],
    )
    for officer, unit, time, eligible, diverted_count in OFFICERS:
        for i in range(eligible):
            number = f"{officer[0]}-{i}"
            race = "B" if i % 2 == 0 else "W"
            lines.append(
                f"{number},03/02/2026,{time},{POSSESSION},0.5,HER,1985-06-01,{race},{officer},{unit}"
            )
            if i < diverted_count:
                offered.append(number)
    lines += [f"X-{i},03/02/2026,12:00,{ASSAULT},,,1985-06-01,W,Adams,Patrol North" for i in range(5)]
    return ("\n".join(lines) + "\n").encode(), offered


@pytest.fixture
def run(world):
    publish_seattle(world)
    world.program.configuration = {
        **(world.program.configuration or {}),
        "equity_reference": {"race": "White"},
    }
    world.program.save()
    data, offered = _export()
    diverted(world, offered, intake=0)
    made, _ = screening_run_create(
        actor=project_manager(world), source=data, file_name="constructed.csv", mapping_text=MAPPING
    )
    return made


def _row(page: str, group: str) -> list[str]:
    found = re.search(
        rf'<th scope="row">{re.escape(group)}[^<]*(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>', page
    )
    assert found, group
    return re.findall(r'<td class="num">(.*?)</td>', found.group(1))


def _section(page: str, field: str) -> str:
    return page.split(f'id="equity-{field}"')[1].split("</section>")[0]


def _flat(response) -> str:
    return re.sub(r">\s+<", "><", " ".join(response.content.decode().split()))


def test_it_computes_wilson_intervals_ratios_and_flags_by_hand():
    cells = {
        c.group: c
        for c in breakdown(
            [Row("Adams", 60, 12, 0), Row("Baker", 60, 36, 0), Row("Cruz", 30, 15, 0)],
            overall=63 / 150,
            flag_officers=True,
        )
    }
    # Wilson, z = 1.96: centre (p + z²/2n) / (1 + z²/n), half z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
    # Adams 12/60: centre 0.2180, half 0.0998 -> 0.1183 to 0.3178.
    assert cells["Adams"].ci_low == pytest.approx(0.118285, abs=1e-5)
    assert cells["Adams"].ci_high == pytest.approx(0.317818, abs=1e-5)
    assert cells["Adams"].ci == "11.8% to 31.8%"
    # Reference: the largest group; Adams and Baker tie at 60, so the first by name.
    assert (cells["Adams"].is_reference, cells["Adams"].ratio) == (True, "reference")
    # Baker / Adams = 0.6 / 0.2 = 3.00; se(ln) = sqrt(1/36 - 1/60 + 1/12 - 1/60) = 0.28; exp(±1.96·0.28).
    assert cells["Baker"].ratio_value == pytest.approx(3.0)
    assert (cells["Baker"].ratio_low, cells["Baker"].ratio_high) == (
        pytest.approx(1.73673, abs=1e-4),
        pytest.approx(5.18215, abs=1e-4),
    )
    assert (cells["Baker"].ratio, cells["Baker"].ratio_ci) == ("3.00", "1.74 to 5.18")
    # Adams 12/60 against everyone else 51/90: pooled p 63/150 = 0.42,
    # z = (0.2 - 0.5667) / sqrt(0.42·0.58·(1/60 + 1/90)) = -4.46.
    assert cells["Adams"].flagged
    assert cells["Adams"].evidence == (
        "12 of 60 eligible offered (20.0%) against 51 of 90 (56.7%) for everyone else; z = -4.46, p < 0.001"
    )
    assert not cells["Baker"].flagged and not cells["Cruz"].flagged  # above the rest


def test_it_does_not_flag_or_rate_a_suppressed_officer():
    cells = {
        c.group: c
        for c in breakdown(
            [Row("Adams", 8, 0, 0), Row("Baker", 60, 36, 0), Row("Cruz", 7, 0, 0)],
            overall=0.48,
            flag_officers=True,
        )
    }
    assert (cells["Adams"].eligible, cells["Adams"].rate, cells["Adams"].ci) == ("<11", "suppressed", "—")
    assert not cells["Adams"].flagged and cells["Adams"].ratio == "—"


def test_it_derives_the_shift_from_the_arrest_time_with_configured_boundaries():
    frame = pl.DataFrame(
        {"incident_time": ["05:59", "06:00", "17:59", "18:00", None], "age": [30] * 5},
        schema_overrides={"age": pl.Int32},
    ).with_columns(pl.col("incident_time").str.strptime(pl.Time, "%H:%M"))
    shifts = screening.parse_shifts({"Early": "06:00", "Late": "18:00"})
    assert screening.groups(frame, shifts)["shift"].to_list() == [
        "Late",
        "Early",
        "Early",
        "Late",
        "Not recorded",
    ]
    assert screening.groups(frame)["shift"].to_list() == [
        "Night",
        "Night",
        "Evening",
        "Evening",
        "Not recorded",
    ]
    for bad in ({"Day": "7am"}, {"Day": "07:00", "Night": "07:00"}, {}, ["07:00"]):
        with pytest.raises(ValueError, match="HH:MM"):
            screening.parse_shifts(bad)


def test_it_shows_unit_shift_ratios_flags_and_charts_on_the_page(world, login, run):
    assert (run.rows, run.eligible, run.diverted) == (164, 159, 63)
    page = _flat(login(world.users[Role.PROJECT_MANAGER]).get(reverse("referrals:equity", args=[run.pk])))
    # 63 / 159 = 39.6%, Wilson 32.4% to 47.4%.
    assert _row(page, "All eligible arrests") == [
        "159",
        "63",
        "0",
        "39.6%",
        "32.4% to 47.4%",
        "+0.0 pts",
        "—",
        "—",
    ]
    # Race, reference configured as White (31/79): Black 32/80 -> ratio 0.4 / 0.3924 = 1.02,
    # se(ln) = sqrt(1/32 - 1/80 + 1/31 - 1/79) = 0.1960 -> 0.69 to 1.50.
    race = _section(page, "race")
    assert _row(race, "White") == ["79", "31", "0", "39.2%", "29.2% to 50.3%", "-0.4 pts", "reference", "—"]
    assert _row(race, "Black or African American") == [
        "80",
        "32",
        "0",
        "40.0%",
        "30.0% to 51.0%",
        "+0.4 pts",
        "1.02",
        "0.69 to 1.50",
    ]
    # Unit: reference the largest (Patrol North 48/120); Bike Unit 15/39 -> 0.96, 0.61 to 1.51.
    unit = _section(page, "unit")
    assert _row(unit, "Patrol North")[3:7] == ["40.0%", "31.7% to 48.9%", "+0.4 pts", "reference"]
    assert _row(unit, "Bike Unit")[:8] == [
        "39",
        "15",
        "0",
        "38.5%",
        "24.9% to 54.1%",
        "-1.2 pts",
        "0.96",
        "0.61 to 1.51",
    ]
    # Shift from the arrest time with the default boundaries (Day 07:00, Evening 15:00, Night 23:00).
    shift = _section(page, "shift")
    assert _row(shift, "Day")[:2] == ["60", "12"] and _row(shift, "Evening")[:2] == ["60", "36"]
    assert _row(shift, "Night")[:4] == ["39", "15", "0", "38.5%"]
    # Adams 12/60 against the other 51/99: z = -3.94, p < 0.001. Diaz and Evans are under 11: suppressed.
    officer = _section(page, "officer")
    assert '<th scope="row">Adams <span class="badge">flagged</span></th>' in officer
    assert (
        "12 of 60 eligible offered (20.0%) against 51 of 99 (51.5%) for everyone else; "
        "z = -3.94, p &lt; 0.001" in page
    )
    assert _row(officer, "Diaz") == ["&lt;11", "0", "0", "suppressed", "—", "—", "—", "—"]
    # One accessible SVG chart per dimension, drawn without script: the page's only scripts are the
    # site's own static files (the navigation's Menu button), never inline and never in a chart.
    svgs = re.findall(r"<svg .*?</svg>", page)
    assert len(svgs) == 8 and not any("<script" in s for s in svgs)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == page.count("<script")
    assert all(' src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert all('role="img"' in s and "<title id=" in s and "<desc id=" in s for s in svgs)
    officer_svg = re.search(r"<svg [^>]*chart-officer-title.*?</svg>", page).group(0)
    assert 'class="chart-dot chart-dot--flagged"' in officer_svg and ">20.0% flagged</text>" in officer_svg
    assert "Adams: 20.0% (95% CI 11.8% to 31.8%)" in officer_svg and ">suppressed</text>" in officer_svg


def test_it_exports_the_tables_as_csv_with_small_cells_suppressed_and_audited(world, login, run):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(reverse("referrals:equity_csv", args=[run.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="equity-audit-{run.pk}.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by = {(r["dimension"], r["group"]): r for r in rows}
    black = by[("Race", "Black or African American")]
    assert (black["eligible"], black["offers"], black["diversion_rate"]) == ("80", "32", "40.0%")
    assert (black["rate_ci95_low"], black["rate_ci95_high"]) == ("0.2996", "0.5095")
    assert (black["disparity_ratio"], black["ratio_ci95_low"], black["ratio_ci95_high"]) == (
        "1.02",
        "0.694",
        "1.496",
    )
    adams = by[("Officer", "Adams")]
    assert adams["flagged_below_peers"] == "yes" and "z = -3.94" in adams["evidence"]
    evans = by[("Officer", "Evans")]
    assert (evans["eligible"], evans["diversion_rate"], evans["rate_ci95_low"]) == ("<11", "suppressed", "")
    assert not any(re.fullmatch(r"[1-9]|10", r["eligible"]) for r in rows)  # no count under 11 leaves
    entry = AuditEntry.objects.filter(pk__gt=before, object_type="ScreeningRun").get()
    assert (entry.action, entry.object_id, entry.detail) == ("export", str(run.pk), {"view": "equity_csv"})


def test_it_hides_the_csv_of_another_programs_run(world, login, run):
    assert login(world.outsider).get(reverse("referrals:equity_csv", args=[run.pk])).status_code == 404


def test_it_stores_unit_and_shift_on_each_screened_arrest(world, run):
    with trusted("tests"):
        stored = {a.incident_number: a for a in ScreenedArrest.objects.filter(run=run)}
    assert len(stored) == 164
    cruz = stored["C-0"]
    assert (cruz.program_id, cruz.line, cruz.officer, cruz.unit, cruz.shift, cruz.offence) == (
        world.program.pk,
        122,
        "Cruz",
        "Bike Unit",
        "Night",
        "",
    )
    assert cruz.diverted and cruz.referral_id is not None and not stored["C-15"].diverted
    assert (stored["X-0"].eligible, stored["X-0"].reason != "") == (False, True)
