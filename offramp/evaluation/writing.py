"""Plain-language sentences and warnings from a study's results (the numbers :mod:`run` produced).

Works on the result data alone, so a stored result can be written again without the people in it.
Numbers are rounded for reading here; the JSON keeps them exact.
"""

from __future__ import annotations

import math
from typing import Any

from offramp.evaluation.balance import BALANCE_THRESHOLD
from offramp.evaluation.study import Arm

Result = dict[str, Any]
EVENT_NOUN = {
    "arrest": "re-arrest",
    "booking": "a new jail booking",
    "charge_felony": "a felony charge",
    "charge_misdemeanor": "a misdemeanour charge",
    "jail_stay": "a jail stay",
    "prison": "a prison sentence",
}


def _pct(ratio: float) -> int:
    return round(abs(1 - ratio) * 100)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def money(v: float, currency: str) -> str:
    """-$3,519 / +$250: the sign first, so a table and a sentence show the same text."""
    cur = "$" if currency == "USD" else currency + " "
    sign = "−" if round(v) < 0 else ("+" if round(v) > 0 else "")
    return f"{sign}{cur}{abs(v):,.0f}"


def _ci_text(est: Result, name: str, null: float = 1.0, fmt: str = "{:.2f}") -> str:
    level = est.get("level", 0.95)
    lo, hi = fmt.format(est["ci_low"]), fmt.format(est["ci_high"])
    text = f"{name} {fmt.format(est['estimate'])}, {level:.0%} confidence interval {lo} to {hi}"
    if est["ci_low"] <= null <= est["ci_high"]:
        text += "; the data are also consistent with no difference"
    return text


def sentences_for(*, arm: Arm, comparison: Arm, result: Result) -> list[str]:
    """Plain-language sentences for one outcome's design estimate."""
    est = result.get("design", {})
    if "estimate" not in est or est.get("estimate") is None or not math.isfinite(est["estimate"]):
        return [f"{cap(result['label'])}: {est.get('error', 'not estimated')}."]
    r = est["estimate"]
    more = "lower" if r < 1 else "higher"
    out = []
    if result["measure"] == "any":
        out.append(
            f"{cap(arm.describe)} had {_pct(r)}% {more} odds of {result['label']} than "
            f"{comparison.describe} ({_ci_text(est, 'odds ratio')})."
        )
        p1, p0 = est["extra"].get("mean_treated"), est["extra"].get("mean_comparison")
        if p1 is not None and p0 is not None and result.get("design_is_att", True):
            out.append(
                f"In numbers: about {round(p1 * 100)} out of 100 {arm.describe} had {result['label']}, "
                f"compared with about {round(p0 * 100)} out of 100 {comparison.describe}."
            )
    elif result["measure"] in ("count", "days"):
        fewer = "fewer" if r < 1 else "more"
        out.append(
            f"{cap(arm.describe)} had {_pct(r)}% {fewer} {result['label']} than {comparison.describe} "
            f"({_ci_text(est, 'rate ratio')})."
        )
        m1, m0 = est["extra"].get("mean_treated"), est["extra"].get("mean_comparison")
        if m1 is not None and m0 is not None:
            out.append(f"On average {m1:.1f} versus {m0:.1f} per person.")
    elif result["measure"] == "mean":
        side = "more" if r > 0 else "less"
        out.append(
            f"On average, {arm.describe} had {abs(r):,.1f} {side} {result['label']} than "
            f"{comparison.describe} ({_ci_text(est, 'difference', 0.0, '{:,.1f}')})."
        )
    else:
        noun = EVENT_NOUN.get(result["event"], result["label"])
        name = "hazard ratio" if est["measure"] == "hazard_ratio" else "rate ratio (constant hazard)"
        out.append(
            f"{cap(arm.describe)} had a {_pct(r)}% {more} day-to-day risk of {noun} than "
            f"{comparison.describe} ({_ci_text(est, name)})."
        )
    return out


def cost_sentences(arm: Arm, comparison: Arm, costs: Result) -> list[str]:
    legal = costs.get("legal", {})
    if "did" not in legal or legal["did"].get("estimate") is None:
        return []
    cur = costs["currency"]

    def change(v: float) -> str:
        return f"went {'down' if v < 0 else 'up'} by {money(abs(v), cur).lstrip('+')}"

    a, c, d = legal["arms"]["intervention"], legal["arms"]["comparison"], legal["did"]
    out = [
        f"Over {costs['window_months']} months, legal-system costs per person {change(a['mean_change'])} for "
        f"{arm.describe} and {change(c['mean_change'])} for {comparison.describe}: a difference of "
        f"{money(d['estimate'], cur)} per person ({d.get('level', 0.95):.0%} confidence interval "
        f"{money(d['ci_low'], cur)} to {money(d['ci_high'], cur)})."
    ]
    net = costs.get("net_of_program", {}).get("did", {})
    if net.get("estimate") is not None and costs.get("mean_program_cost_intervention"):
        out.append(
            f"Counting the program's own cost (about "
            f"{money(costs['mean_program_cost_intervention'], cur).lstrip('+')} per participant), the "
            f"net difference is {money(net['estimate'], cur)} per person."
        )
    return out


def warnings_for(arm: Arm, contrast: Result) -> list[str]:
    design, balance = contrast["design"], contrast["balance"]
    out = []
    if not design.get("propensity_converged", True):
        out.append(
            "The propensity model did not converge; check for covariates that predict the arm perfectly."
        )
    if design.get("dropped_by_caliper"):
        out.append(
            # No count in the sentence: the design table gives it, hidden there when it is a small cell.
            f"Some people in {arm.label} had no comparison person within the caliper and were left out "
            "(the design table says how many); the estimate is about those who could be matched."
        )
    bad = [r.get("label", r["covariate"]) for r in balance if not r["balanced"]]
    if bad:
        out.append(f"Balance is not reached (|SMD| ≥ {BALANCE_THRESHOLD}) for: {', '.join(bad)}.")
    for r in contrast["outcomes"]:
        ph = r.get("regression", {}).get("extra", {}).get("proportional_hazards", {})
        if ph.get("violated"):
            out.append(
                f"{cap(r['label'])}: the hazards may not be proportional; read the hazard ratio as an "
                "average over follow-up and look at the Kaplan-Meier curves."
            )
    return out


def write_contrast(arm: Arm, comparison: Arm, contrast: Result) -> Result:
    """The contrast with its ``summary`` sentences and ``warnings`` added."""
    sentences: list[str] = []
    for r in contrast["outcomes"]:
        sentences += sentences_for(arm=arm, comparison=comparison, result=r)
    sentences += cost_sentences(arm, comparison, contrast["costs"])
    return contrast | {"summary": sentences, "warnings": warnings_for(arm, contrast)}
