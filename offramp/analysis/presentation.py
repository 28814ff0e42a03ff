"""Turn a run's result (the engine's JSON) into what the report page shows: formatted rows, methods,
limitations. Shared by the web page and `offramp evaluate`, so both show the same report."""

from __future__ import annotations

from offramp.analysis.queries import SMALL_CELL

MEASURE = {
    "odds_ratio": "odds ratio",
    "rate_ratio": "rate ratio",
    "hazard_ratio": "hazard ratio",
    "risk_difference": "risk difference",
    "mean_difference": "difference",
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
    f"Counts below {SMALL_CELL} are not shown, so that no small group can be singled out.",
]


def _fmt(est: dict | None) -> dict:
    if not est or est.get("estimate") is None:
        return {"text": (est or {}).get("error", "not estimated"), "ok": False}
    ratio = est["measure"] in ("odds_ratio", "rate_ratio", "hazard_ratio")
    f = "{:.2f}" if ratio else "{:,.2f}"
    p = est.get("p_value")
    return {
        "ok": True,
        "measure": MEASURE.get(est["measure"], est["measure"]),
        "estimate": f.format(est["estimate"]),
        "ci": f"{f.format(est['ci_low'])} to {f.format(est['ci_high'])}",
        "p": "< 0.001" if p is not None and p < 0.001 else (f"{p:.3f}" if p is not None else ""),
        "method": est.get("method", ""),
        "n": est.get("n"),
    }


def _money(v) -> str:
    return "" if v is None else f"{v:,.0f}"


def small(n) -> str:
    if n is None:
        return ""
    return f"fewer than {SMALL_CELL}" if 0 < n < SMALL_CELL else f"{n:,}"


def report_context(result: dict) -> dict:
    labels = {a["name"]: a["label"] for a in result["study"].get("arms", [])}
    contrasts = []
    for c in result["contrasts"]:
        outcomes = [
            {
                "estimates": [_fmt(o.get("unadjusted")), _fmt(o.get("regression")), _fmt(o.get("design"))],
                "label": o["label"],
                "n_known": small(o.get("n_known")),
                "n_censored": small(o.get("n_censored")),
                "unadjusted": _fmt(o.get("unadjusted")),
                "regression": _fmt(o.get("regression")),
                "design": _fmt(o.get("design")),
            }
            for o in c["outcomes"]
        ]
        methods = sorted(
            {o["design"]["method"] for o in outcomes if o["design"]["ok"]}
            | {o["regression"]["method"] for o in outcomes if o["regression"]["ok"]}
        )
        subgroups = [
            {
                "variable": s["variable"].replace("_", " "),
                "level": s["level"],
                "n_intervention": small(s["n_intervention"]),
                "n_comparison": small(s["n_comparison"]),
                "estimate": _fmt(s["estimate"]),
            }
            for s in c["subgroups"]
        ]
        costs = c["costs"]
        cost_rows = []
        for key, label in (("legal", "Legal-system costs"), ("net_of_program", "Including program cost")):
            block = costs.get(key, {})
            if "did" in block:
                arms = block["arms"]
                cost_rows.append(
                    {
                        "label": label,
                        "intervention": _money(arms["intervention"].get("mean_change")),
                        "comparison": _money(arms["comparison"].get("mean_change")),
                        "did": _fmt(block["did"]),
                    }
                )
        design = c["design"]
        contrasts.append(
            {
                "intervention": labels.get(c["intervention"], c["intervention"]),
                "comparison": labels.get(c["comparison"], c["comparison"]),
                "summary": c["summary"],
                "warnings": c["warnings"],
                "design": design,
                "design_rows": [
                    (k.replace("_", " "), v) for k, v in design.items() if not isinstance(v, dict | list)
                ],
                "balance": c["balance"],
                "outcomes": outcomes,
                "costs": costs,
                "cost_rows": cost_rows,
                "subgroups": subgroups,
                "methods": methods,
                "figures": c.get("figures", {}),
            }
        )
    return {
        "result": result,
        "study": result["study"],
        "data": result["data"],
        "provenance": result.get("provenance", {}),
        "contrasts": contrasts,
        "limitations": LIMITATIONS,
        "small_cell": SMALL_CELL,
    }


def summary_text(result: dict) -> str:
    """The plain-language summary, for the terminal."""
    labels = {a["name"]: a["label"] for a in result["study"].get("arms", [])}
    lines = [result["study"]["name"], ""]
    for c in result["contrasts"]:
        lines.append(f"{labels.get(c['intervention'])} compared with {labels.get(c['comparison'])}:")
        lines += [f"  - {s}" for s in c["summary"]]
        lines += [f"  ! {w}" for w in c["warnings"]]
        lines.append("")
    return "\n".join(lines)
