"""The intake's questions: the critical-needs check at hand-off and the in-depth assessment's domains.

A program may replace the questions (program configuration, key `assessment_questions`); the
defaults below apply otherwise. The domains are fixed, so that reassessments compare like with
like; the questions within them are the program's. Every answer is optional: a participant may
decline any question, and the substance-use domain is voluntary and 42 CFR Part 2 information.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from offramp.programs.wording import check_wording

CRITICAL = "critical"  # the critical-needs check at hand-off
FULL = "full"  # the in-depth assessment
KINDS = {CRITICAL: "Critical-needs check", FULL: "In-depth assessment"}

SUBSTANCE_USE = "substance_use"
# (key, label): the in-depth assessment's domains, in the order they are asked.
DOMAINS = (
    ("housing", "Housing"),
    ("income", "Income and benefits"),
    ("id_documents", "ID documents"),
    ("physical_health", "Physical health"),
    ("mental_health", "Mental health"),
    (SUBSTANCE_USE, "Substance use (voluntary)"),
    ("legal", "Legal"),
    ("education", "Education"),
    ("employment", "Employment"),
    ("transportation", "Transportation"),
    ("family", "Family and safety"),
)
DOMAIN_LABELS = dict(DOMAINS)
# The critical-needs check is one group of questions, asked before anything else.
CRITICAL_GROUP = "critical_needs"
ANSWER_KINDS = ("yes_no", "choice", "text")
YES_NO = (("yes", "Yes"), ("no", "No"))
MAX_TEXT = 1000

ERR_KIND = "Choose the critical-needs check or the in-depth assessment."
ERR_UNKNOWN_QUESTION = "The answer to “{key}” matches no question of this assessment."
ERR_CHOICE = "“{label}”: choose one of the answers offered."
ERR_TOO_LONG = "“{label}”: keep the answer under {limit} characters."
ERR_CONFIG_SHAPE = "The assessment questions must map each domain to a list of questions."
ERR_CONFIG_DOMAIN = "“{domain}” is not an assessment domain: use one of {domains}."
ERR_CONFIG_QUESTION = (
    "Domain “{domain}”, question {n}: each question needs a key, a label and a kind ({kinds})."
)
ERR_CONFIG_KEY = "Domain “{domain}”: the question key “{key}” is used twice or is not lower-case letters."
ERR_CONFIG_OPTIONS = "Domain “{domain}”, question “{key}”: a choice question needs at least two options."


def _q(key: str, label: str, kind: str = "yes_no", options=()) -> dict:
    return {"key": key, "label": label, "kind": kind, "options": list(options)}


DEFAULT_QUESTIONS = {
    CRITICAL_GROUP: [
        _q("safe_tonight", "Do you have a safe place to sleep tonight?"),
        _q("urgent_medical", "Do you need medical care today?"),
        _q("medication", "Do you need medication you do not have?"),
        _q("food", "Have you eaten today?"),
        _q("danger", "Are you in danger from someone right now?"),
        _q("notes", "Anything else that cannot wait", "text"),
    ],
    "housing": [
        _q(
            "sleeping",
            "Where are you staying?",
            "choice",
            [
                "Outside or a vehicle",
                "Shelter",
                "With family or friends",
                "Own or rented place",
                "Treatment or care facility",
                "Jail or hospital",
            ],
        ),
        _q("wants_housing", "Do you want help finding housing?"),
    ],
    "income": [
        _q("has_income", "Do you have any income?"),
        _q("benefits", "Which benefits do you receive, if any?", "text"),
        _q("wants_benefits_help", "Would you like help applying for benefits?"),
    ],
    "id_documents": [
        _q("state_id", "Do you have a current photo ID?"),
        _q("birth_certificate", "Do you have your birth certificate?"),
        _q("social_security_card", "Do you have your Social Security card?"),
    ],
    "physical_health": [
        _q("insured", "Do you have health insurance?"),
        _q("conditions", "Any health conditions you want help with?", "text"),
        _q("regular_care", "Do you have a place you go for medical care?"),
    ],
    "mental_health": [
        _q("wants_support", "Would you like support with your mental health?"),
        _q("current_care", "Are you seeing anyone for it now?"),
    ],
    SUBSTANCE_USE: [
        _q("wants_to_talk", "Is there anything about substance use you want to talk about?", "text"),
        _q(
            "wants_treatment_info",
            "Would you like information on treatment, including medication for opioid use disorder?",
        ),
        _q("naloxone", "Do you have naloxone?"),
    ],
    "legal": [
        _q("pending_cases", "Do you have court dates or open cases?"),
        _q("warrants", "Do you know of any warrants?"),
        _q("needs_lawyer", "Do you want help reaching a lawyer?"),
    ],
    "education": [
        _q(
            "highest",
            "Highest school completed",
            "choice",
            ["Less than high school", "High school or GED", "Some college or training", "Degree"],
        ),
        _q("wants_education", "Would you like to go back to school or training?"),
    ],
    "employment": [
        _q(
            "working",
            "Are you working now?",
            "choice",
            ["Not working", "Looking for work", "Informal or day work", "Part time", "Full time"],
        ),
        _q("wants_work", "Would you like help finding work?"),
    ],
    "transportation": [
        _q("gets_around", "Can you get to appointments?"),
        _q("needs_pass", "Would a bus pass or rides help?"),
    ],
    "family": [
        _q("safe_relationships", "Do you feel safe with the people around you?"),
        _q("children", "Do you have children you care for or want contact with?"),
        _q("support", "Who do you count on?", "text"),
    ],
}


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str
    options: tuple

    @property
    def choices(self) -> tuple:
        if self.kind == "yes_no":
            return YES_NO
        return tuple((option, option) for option in self.options)


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    questions: tuple
    part2: bool = False


def validate_configuration(config) -> dict:
    """The program's question set checked and normalised, or ValidationError naming what is wrong."""
    if not isinstance(config, dict) or not all(isinstance(v, list) for v in config.values()):
        raise ValidationError(ERR_CONFIG_SHAPE)
    known = [CRITICAL_GROUP, *DOMAIN_LABELS]
    clean = {}
    for domain, questions in config.items():
        if domain not in known:
            raise ValidationError(ERR_CONFIG_DOMAIN.format(domain=domain, domains=", ".join(known)))
        seen = set()
        clean[domain] = []
        for n, question in enumerate(questions, start=1):
            if (
                not isinstance(question, dict)
                or not all(
                    isinstance(question.get(f), str) and question.get(f).strip()
                    for f in ("key", "label", "kind")
                )
                or question["kind"] not in ANSWER_KINDS
            ):
                raise ValidationError(
                    ERR_CONFIG_QUESTION.format(domain=domain, n=n, kinds=", ".join(ANSWER_KINDS))
                )
            key = question["key"]
            if key in seen or not key.replace("_", "").isalpha() or key != key.lower():
                raise ValidationError(ERR_CONFIG_KEY.format(domain=domain, key=key))
            seen.add(key)
            options = [str(o).strip() for o in question.get("options") or [] if str(o).strip()]
            if question["kind"] == "choice" and len(options) < 2:
                raise ValidationError(ERR_CONFIG_OPTIONS.format(domain=domain, key=key))
            for text in (question["label"], *options):
                check_wording(text, what=f"Domain “{domain}”, question “{key}”")
            clean[domain].append(_q(key, question["label"].strip(), question["kind"], options))
    return clean


ERR_LINE = (
    "{domain}, line {line}: write key | question | kind (yes_no, choice or text) | options separated by ;"
)


def parse_lines(domain: str, text: str) -> list[dict]:
    """One domain's questions from the page, one per line: `key | question | kind | option; option`
    (kind yes_no when left out). Shape and wording are checked by `validate_configuration`."""
    label = DOMAIN_LABELS.get(domain, "Critical needs")
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
            raise ValidationError(ERR_LINE.format(domain=label, line=number))
        kind = parts[2] if len(parts) > 2 and parts[2] else "yes_no"
        options = [o.strip() for o in parts[3].split(";")] if len(parts) > 3 else []
        parsed.append({"key": parts[0], "label": parts[1], "kind": kind, "options": options})
    return parsed


def as_lines(questions: list[dict]) -> str:
    """The page's text for one domain's questions (the inverse of `parse_lines`)."""
    lines = []
    for q in questions:
        line = f"{q['key']} | {q['label']} | {q['kind']}"
        if q.get("options"):
            line += " | " + "; ".join(q["options"])
        lines.append(line)
    return "\n".join(lines)


def question_set(program) -> dict:
    """Domain key -> questions (dicts), the program's where it set them, else the defaults."""
    configured = program.setting("assessment_questions")
    return {**DEFAULT_QUESTIONS, **validate_configuration(configured)}


def domains_for(kind: str, questions: dict, *, part2: bool) -> list[Domain]:
    """The groups of questions an assessment of this kind asks; substance use only to Part 2 roles."""
    if kind == CRITICAL:
        groups = [(CRITICAL_GROUP, "Critical needs")]
    else:
        groups = [(key, label) for key, label in DOMAINS if part2 or key != SUBSTANCE_USE]
    return [
        Domain(
            key=key,
            label=label,
            part2=key == SUBSTANCE_USE,
            questions=tuple(
                Question(q["key"], q["label"], q["kind"], tuple(q["options"])) for q in questions.get(key, [])
            ),
        )
        for key, label in groups
    ]


def clean_answers(domains: list[Domain], answers: dict) -> dict:
    """Answers checked against the questions: domain -> {question: answer}, blanks dropped."""
    by_domain = {d.key: {q.key: q for q in d.questions} for d in domains}
    clean: dict[str, dict[str, str]] = {}
    for domain, given in answers.items():
        questions = by_domain.get(domain)
        if questions is None or not isinstance(given, dict):
            raise ValidationError(ERR_UNKNOWN_QUESTION.format(key=domain))
        for key, value in given.items():
            question = questions.get(key)
            if question is None:
                raise ValidationError(ERR_UNKNOWN_QUESTION.format(key=f"{domain}.{key}"))
            value = (value or "").strip()
            if not value:
                continue
            if question.kind != "text" and value not in dict(question.choices):
                raise ValidationError(ERR_CHOICE.format(label=question.label))
            if len(value) > MAX_TEXT:
                raise ValidationError(ERR_TOO_LONG.format(label=question.label, limit=MAX_TEXT))
            clean.setdefault(domain, {})[key] = value
    return clean
