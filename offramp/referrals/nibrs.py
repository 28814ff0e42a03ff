"""FBI NIBRS offence codes (Group A and B), as stated in the 2019.2.x NIBRS specification.

The product never reads the shared standards folder at run time, so the table lives here;
tests/referrals/test_nibrs_table.py checks it against the project's copy of the FBI list.
Protocols map local statute codes to these codes so sites can be compared and audited.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NibrsOffence:
    code: str
    name: str
    group: str  # "A" (incident report) or "B" (arrest report only)
    current: bool = True


# (code, name, group) for every current code.
_CURRENT = (
    ("720", "Animal Cruelty", "A"),
    ("200", "Arson", "A"),
    ("13A", "Aggravated Assault", "A"),
    ("13B", "Simple Assault", "A"),
    ("13C", "Intimidation", "A"),
    ("510", "Bribery", "A"),
    ("220", "Burglary/Breaking & Entering", "A"),
    ("58A", "Import Violations", "A"),
    ("58B", "Export Violations", "A"),
    ("61A", "Federal Liquor Offenses", "A"),
    ("61B", "Federal Tobacco Offenses", "A"),
    ("620", "Wildlife Trafficking", "A"),
    ("250", "Counterfeiting/Forgery", "A"),
    ("290", "Destruction/Damage/Vandalism of Property", "A"),
    ("35A", "Drug/Narcotic Violations", "A"),
    ("35B", "Drug Equipment Violations", "A"),
    ("270", "Embezzlement", "A"),
    ("103", "Espionage", "A"),
    ("210", "Extortion/Blackmail", "A"),
    ("26A", "False Pretenses/Swindle/Confidence Game", "A"),
    ("26B", "Credit Card/Automated Teller Machine Fraud", "A"),
    ("26C", "Impersonation", "A"),
    ("26D", "Welfare Fraud", "A"),
    ("26E", "Wire Fraud", "A"),
    ("26F", "Identity Theft", "A"),
    ("26G", "Hacking/Computer Invasion", "A"),
    ("26H", "Money Laundering", "A"),
    ("49A", "Harboring Escapee/Concealing from Arrest", "A"),
    ("49B", "Flight to Avoid Prosecution", "A"),
    ("49C", "Flight to Avoid Deportation", "A"),
    ("39A", "Betting/Wagering", "A"),
    ("39B", "Operating/Promoting/Assisting Gambling", "A"),
    ("39C", "Gambling Equipment Violations", "A"),
    ("39D", "Sports Tampering", "A"),
    ("09A", "Murder and Nonnegligent Manslaughter", "A"),
    ("09B", "Negligent Manslaughter", "A"),
    ("09C", "Justifiable Homicide", "A"),
    ("64A", "Human Trafficking, Commercial Sex Acts", "A"),
    ("64B", "Human Trafficking, Involuntary Servitude", "A"),
    ("30A", "Illegal Entry into the United States", "A"),
    ("30B", "False Citizenship", "A"),
    ("30C", "Smuggling Aliens", "A"),
    ("30D", "Re-entry after Deportation", "A"),
    ("100", "Kidnapping/Abduction", "A"),
    ("23A", "Pocket-picking", "A"),
    ("23B", "Purse-snatching", "A"),
    ("23C", "Shoplifting", "A"),
    ("23D", "Theft From Building", "A"),
    ("23E", "Theft From Coin-Operated Machine or Device", "A"),
    ("23F", "Theft From Motor Vehicle", "A"),
    ("23G", "Theft of Motor Vehicle Parts or Accessories", "A"),
    ("23H", "All Other Larceny", "A"),
    ("240", "Motor Vehicle Theft", "A"),
    ("370", "Pornography/Obscene Material", "A"),
    ("40A", "Prostitution", "A"),
    ("40B", "Assisting or Promoting Prostitution", "A"),
    ("40C", "Purchasing Prostitution", "A"),
    ("120", "Robbery", "A"),
    ("11A", "Rape", "A"),
    ("11B", "Sodomy", "A"),
    ("11C", "Sexual Assault With An Object", "A"),
    ("11D", "Fondling", "A"),
    ("36A", "Incest", "A"),
    ("36B", "Statutory Rape", "A"),
    ("360", "Failure to Register as a Sex Offender", "A"),
    ("280", "Stolen Property Offenses", "A"),
    ("101", "Treason", "A"),
    ("520", "Weapon Law Violations", "A"),
    ("521", "Violation of National Firearm Act of 1934", "A"),
    ("522", "Weapons of Mass Destruction", "A"),
    ("526", "Explosives", "A"),
    ("90A", "Bad Checks", "B"),
    ("90K", "Failure to Appear", "B"),
    ("90B", "Curfew/Loitering/Vagrancy Violations", "B"),
    ("90C", "Disorderly Conduct", "B"),
    ("90D", "Driving Under the Influence", "B"),
    ("90E", "Drunkenness", "B"),
    ("90F", "Family Offenses, Nonviolent", "B"),
    ("90L", "Federal Resource Violations", "B"),
    ("90G", "Liquor Law Violations", "B"),
    ("90H", "Peeping Tom", "B"),
    ("90M", "Perjury", "B"),
    ("90J", "Trespass of Real Property", "B"),
    ("90Z", "All Other Offenses", "B"),
)

# Retired codes are known so validation can say "retired" rather than "unknown".
_RETIRED = (("90I", "Runaway", "B"),)

OFFENCES: dict[str, NibrsOffence] = {code: NibrsOffence(code, name, group) for code, name, group in _CURRENT}
OFFENCES.update({code: NibrsOffence(code, name, group, current=False) for code, name, group in _RETIRED})


def is_current(code: str) -> bool:
    offence = OFFENCES.get(code)
    return offence is not None and offence.current


def name(code: str) -> str:
    """Plain-English name of a code; the code itself when unknown, so messages never fail."""
    offence = OFFENCES.get(code)
    return offence.name if offence else code
