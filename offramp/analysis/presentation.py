"""Turn a run's result (the engine's JSON) into what the report page shows: rounded numbers with
human labels, methods in words, limitations. Shared by the web page and `offramp evaluate`, so both
show the same report; the JSON download keeps every number exact.

Counts below the small-cell threshold read "fewer than k": the program's own threshold
(`Program.small_cell`, never below the deployment's) where the report is of a program's run, the
deployment's OFFRAMP_SMALL_CELL where it is not (a study run on files)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from offramp.evaluation.writing import money

Result = dict[str, Any]
MEASURE = {
    "odds_ratio": "odds ratio",
    "rate_ratio": "rate ratio",
    "hazard_ratio": "hazard ratio",
    "risk_difference": "risk difference",
    "mean_difference": "difference",
}
METHOD = {"ipw": "Inverse-probability weighting", "nearest": "Nearest-neighbour matching"}
ESTIMAND = {
    "att": "The effect on the people in the program (ATT)",
    "ate": "The effect on everyone compared (ATE)",
}

LIMITATIONS = [
    "This is an observational comparison: people were not assigned to the program at random. The "
    "comparison is made fair only on the characteristics listed in the balance table; anything "
    "else that differs between the groups and affects re-arrest (motivation, housing, an officer's "
    "judgement) can still bias the estimates.",
    "Arrests measure police contact, not behaviour: a change in where and how police work changes "
    "arrests in both groups.",
    "People without a full follow-up window are left out of that window's estimate (censored), "
    "never counted as having no re-arrest; results for long windows rest on fewer people.",
    "Records linked by name and date of birth can be wrong; only accepted links are used.",
    "Counts below {small_cell} are not shown, so that no small group can be singled out.",
]


def _fmt(est: Result | None, currency: str | None = None) -> Result:
    if not est or est.get("estimate") is None:
        return {"text": (est or {}).get("error", "not estimated"), "ok": False}
    ratio = est["measure"] in ("odds_ratio", "rate_ratio", "hazard_ratio")

    def f(v: float) -> str:
        if ratio:
            return f"{v:.2f}"
        return money(v, currency) if currency else f"{v:,.1f}"

    p = est.get("p_value")
    level = est.get("level", 0.95)
    low, high = est["ci_low"], est["ci_high"]
    if "adjusted_ci_low" in est:
        low, high = est["adjusted_ci_low"], est["adjusted_ci_high"]
    return {
        "ok": True,
        "measure": MEASURE.get(est["measure"], est["measure"]),
        "estimate": f(est["estimate"]),
        "ci": f"{f(low)} to {f(high)}",
        "level": f"{level:.0%}",
        "p": "< 0.001" if p is not None and p < 0.001 else (f"{p:.3f}" if p is not None else ""),
        "method": est.get("method", ""),
        "n": est.get("n"),
    }


def small(n: int | None, k: int) -> str:
    if n is None:
        return ""
    return f"fewer than {k}" if 0 < n < k else f"{n:,}"


def _design_rows(design: Result, labels: dict[str, str], k: int) -> list[tuple[str, str]]:
    """The design in words, every number rounded for reading and every count below k hidden."""
    rows = [("Method", METHOD.get(design["method"], design["method"]))]
    if "estimand" in design:
        rows.append(("Estimate of", ESTIMAND.get(design["estimand"], design["estimand"])))
        rows.append(("Stabilised weights", "yes" if design.get("stabilized") else "no"))
        rows.append(
            ("Effective size of the comparison group", f"{design['effective_n_comparison']:,.0f} people")
        )
        rows.append(("Largest comparison weight", f"{design['max_weight_comparison']:,.1f}"))
    if "ratio" in design:
        rows.append(
            (
                "Matches per person",
                f"{design['ratio']}, {'with' if design['replacement'] else 'without'} replacement",
            )
        )
        if design.get("caliper_sd") is not None:
            rows.append(("Caliper", f"{design['caliper_sd']:g} standard deviations of the score's logit"))
        rows.append(
            (
                "Matched",
                f"{small(design['matched_intervention'], k)} in the program, "
                f"{small(design['matched_comparison'], k)} compared",
            )
        )
        rows.append(("Left out (no match in the caliper)", small(design["dropped_by_caliper"], k)))
    rows.append(
        (
            "People",
            f"{small(design['n_intervention'], k)} in the program, "
            f"{small(design['n_comparison'], k)} compared",
        )
    )
    for key, name in (("score_range_intervention", "program"), ("score_range_comparison", "comparison")):
        lo, hi = design[key]
        rows.append((f"Propensity scores, {name} group", f"{lo:.2f} to {hi:.2f}"))
    rows.append(("Propensity model converged", "yes" if design.get("propensity_converged") else "no"))
    return rows


def _balance(rows: list[Result]) -> list[Result]:
    return [
        {
            "label": b.get("label", b["covariate"]),
            "before": f"{b['smd_before']:.2f}",
            "after": f"{b['smd_after']:.2f}",
            "balanced": "yes" if b["balanced"] else "no",
        }
        for b in rows
    ]


def _contrast(c: Result, labels: dict[str, str], k: int) -> Result:
    outcomes = [
        {
            "estimates": [_fmt(o.get("unadjusted")), _fmt(o.get("regression")), _fmt(o.get("design"))],
            "label": o["label"],
            "n_known": small(o.get("n_known"), k),
            "design": _fmt(o.get("design")),
            "regression": _fmt(o.get("regression")),
        }
        for o in c["outcomes"]
    ]
    methods = sorted(
        {o["design"]["method"] for o in outcomes if o["design"]["ok"]}
        | {o["regression"]["method"] for o in outcomes if o["regression"]["ok"]}
    )
    subgroups = [
        {
            "label": s.get("label", f"{s['variable']}: {s['level']}"),
            "n_intervention": small(s["n_intervention"], k),
            "n_comparison": small(s["n_comparison"], k),
            "estimate": _fmt(s["estimate"]),
        }
        for s in c["subgroups"]
    ]
    costs = c["costs"]
    cur = costs.get("currency", "USD")
    cost_rows = []
    for key, label in (("legal", "Legal-system costs"), ("net_of_program", "Including program cost")):
        block = costs.get(key, {})
        if "did" in block:
            arms = block["arms"]
            change = [arms[a].get("mean_change") for a in ("intervention", "comparison")]
            cost_rows.append(
                {
                    "label": label,
                    "intervention": "" if change[0] is None else money(change[0], cur),
                    "comparison": "" if change[1] is None else money(change[1], cur),
                    "did": _fmt(block["did"], cur),
                }
            )
    return {
        "intervention": labels.get(c["intervention"], c["intervention"]),
        "comparison": labels.get(c["comparison"], c["comparison"]),
        "summary": c["summary"],
        "warnings": c["warnings"],
        "design_rows": _design_rows(c["design"], labels, k),
        "balance": _balance(c["balance"]),
        "outcomes": outcomes,
        "costs": costs,
        "cost_rows": cost_rows,
        "subgroups": subgroups,
        "methods": methods,
        "figures": c.get("figures", {}),
    }


def _head_to_head(h: Result | None, labels: dict[str, str], k: int) -> Result | None:
    if not h:
        return None
    target = labels.get(h["target_arm"], h["target_arm"]) if h.get("target_arm") else None
    population = f"the people in {target}" if target else "everyone compared"
    return {
        "method": h["method"],
        "population": population,
        "multiplicity": h["multiplicity"],
        "n_in_support": small(h["n_in_support"], k),
        "n_outside_support": small(h["n_outside_support"], k),
        "outcomes": [
            {
                "label": o["label"],
                "pairs": [{"label": p["label"], "estimate": _fmt(p["estimate"])} for p in o["pairs"]],
            }
            for o in h["outcomes"]
        ],
        "balance": [{"label": b["label"], "rows": _balance(b["rows"])} for b in h["balance"]],
        "figures": h.get("figures", {}),
    }


def report_context(result: Result, *, small_cell: int | None = None) -> Result:
    """small_cell: the program's threshold (`Program.small_cell`); None, the deployment's."""
    k = int(settings.SMALL_CELL) if small_cell is None else int(small_cell)
    labels = {a["name"]: a["label"] for a in result["study"].get("arms", [])}
    data = dict(result["data"])
    data["people_by_arm"] = {
        labels.get(name, name): small(n, k) for name, n in data.get("people_by_arm", {}).items()
    }
    provenance = dict(result.get("provenance", {}))
    if isinstance(provenance.get("ran_at"), str):
        provenance["ran_at"] = provenance["ran_at"][:16].replace("T", " ")  # to the minute
    return {
        "result": result,
        "study": result["study"],
        "data": data,
        "provenance": provenance,
        "contrasts": [_contrast(c, labels, k) for c in result["contrasts"]],
        "head_to_head": _head_to_head(result.get("head_to_head"), labels, k),
        "limitations": [line.format(small_cell=k) for line in LIMITATIONS],
        "small_cell": k,
        "level": f"{result['study'].get('confidence', 0.95):.0%}",
    }


def summary_text(result: Result) -> str:
    """The plain-language summary, for the terminal."""
    labels = {a["name"]: a["label"] for a in result["study"].get("arms", [])}
    lines = [result["study"]["name"], ""]
    for c in result["contrasts"]:
        lines.append(f"{labels.get(c['intervention'])} compared with {labels.get(c['comparison'])}:")
        lines += [f"  - {s}" for s in c["summary"]]
        lines += [f"  ! {w}" for w in c["warnings"]]
        lines.append("")
    h = result.get("head_to_head")
    if h:
        lines.append(f"Every arm against every other ({h['method']}, {h['multiplicity']}):")
        for o in h["outcomes"]:
            for p in o["pairs"]:
                f = _fmt(p["estimate"])
                text = f"{f['measure']} {f['estimate']} ({f['ci']})" if f["ok"] else f["text"]
                lines.append(f"  - {o['label']}, {p['label']}: {text}")
        lines.append("")
    return "\n".join(lines)
