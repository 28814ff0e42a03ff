"""A small invented service directory for the demo program (Harbor City, Cascade County).

Every name, address and number is made up (phone numbers use the 555-01xx range kept
for fiction). It is built as HSDS compound JSON and loaded through the same reading,
validation and import as any provider's file.
"""

# ruff: noqa: E501  (a data table reads best with one service per block)

import uuid

from offramp.access.scope import Actor
from offramp.directory import actions
from offramp.directory.reading import Dataset, read_json_document

NAMESPACE = uuid.UUID("6f1c0a52-3d1e-4f0b-9a55-6b0f1d1e7c21")
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"

NEEDS = {  # term -> parent term
    "Housing": "",
    "Emergency shelter": "Housing",
    "ID documents": "",
    "Income and benefits": "",
    "Health care": "",
    "Substance use treatment (voluntary)": "Health care",
    "Medication for opioid use disorder": "Substance use treatment (voluntary)",
    "Legal aid": "",
    "Food": "",
    "Showers and hygiene": "",
    "Transportation": "",
}

# (organization, service, needs, description, eligibility, languages, address, lat, lon, phone, days, opens, closes)
SERVICES = (
    (
        "Harbor City Housing Collaborative",
        "Coordinated entry for housing",
        ("Housing",),
        "Assessment for housing programs and placement on the community housing list.",
        "Adults without stable housing.",
        ("English", "Spanish"),
        "410 Pine Street",
        47.6105,
        -122.3380,
        "206-555-0101",
        WEEKDAYS,
        "09:00",
        "17:00",
    ),
    (
        "Harbor City Housing Collaborative",
        "Rapid rehousing",
        ("Housing",),
        "Short-term rent help and a housing navigator to find and keep an apartment.",
        "Referral from a case manager.",
        ("English", "Spanish", "Vietnamese"),
        "410 Pine Street",
        47.6105,
        -122.3380,
        "206-555-0102",
        WEEKDAYS,
        "09:00",
        "16:30",
    ),
    (
        "Lighthouse Mission",
        "Night shelter",
        ("Emergency shelter",),
        "Low-barrier beds every night; pets and partners welcome, no sobriety requirement.",
        "Adults 18 and over.",
        ("English",),
        "88 Dock Street",
        47.6021,
        -122.3365,
        "206-555-0103",
        EVERY_DAY,
        "19:00",
        "07:00",
    ),
    (
        "Lighthouse Mission",
        "Day center showers and laundry",
        ("Showers and hygiene",),
        "Hot showers, laundry, lockers and a mail address.",
        "Anyone.",
        ("English", "Spanish"),
        "88 Dock Street",
        47.6021,
        -122.3365,
        "206-555-0104",
        EVERY_DAY,
        "08:00",
        "14:00",
    ),
    (
        "Cascade County Vital Records",
        "Birth certificates and state ID help",
        ("ID documents",),
        "Fee waivers and help ordering birth certificates and state ID cards.",
        "County residents; no fixed address is fine.",
        ("English", "Spanish", "Somali"),
        "500 Fourth Avenue",
        47.6040,
        -122.3300,
        "206-555-0105",
        WEEKDAYS,
        "08:30",
        "16:30",
    ),
    (
        "Neighbors Legal Clinic",
        "Warrant and fines clinic",
        ("Legal aid", "ID documents"),
        "Quash warrants, reduce fines and fees, and reinstate driver's licences.",
        "Low income.",
        ("English", "Spanish"),
        "1201 Third Avenue",
        47.6070,
        -122.3360,
        "206-555-0106",
        "TU,TH",
        "10:00",
        "15:00",
    ),
    (
        "Neighbors Legal Clinic",
        "Record relief",
        ("Legal aid",),
        "Vacating old convictions and sealing records that block jobs and housing.",
        "Low income.",
        ("English",),
        "1201 Third Avenue",
        47.6070,
        -122.3360,
        "206-555-0107",
        "WE",
        "13:00",
        "17:00",
    ),
    (
        "Cascade Benefits Access",
        "Food and cash benefits enrolment",
        ("Income and benefits", "Food"),
        "Same-day applications for food assistance, cash aid and phone programs.",
        "Anyone; bring ID if you have it.",
        ("English", "Spanish", "Tagalog"),
        "300 Union Street",
        47.6095,
        -122.3350,
        "206-555-0108",
        WEEKDAYS,
        "09:00",
        "16:00",
    ),
    (
        "Cascade Benefits Access",
        "Disability benefits advocacy",
        ("Income and benefits",),
        "Help applying for and appealing disability benefits.",
        "People with a disabling condition.",
        ("English",),
        "300 Union Street",
        47.6095,
        -122.3350,
        "206-555-0109",
        WEEKDAYS,
        "09:00",
        "16:00",
    ),
    (
        "Harborview Community Health",
        "Walk-in primary care",
        ("Health care",),
        "Primary care, wound care and health insurance enrolment; no appointment needed.",
        "Anyone; sliding fee.",
        ("English", "Spanish", "Amharic"),
        "905 Jefferson Street",
        47.6040,
        -122.3230,
        "206-555-0110",
        WEEKDAYS,
        "08:00",
        "18:00",
    ),
    (
        "Harborview Community Health",
        "Street medicine van",
        ("Health care",),
        "A nurse and a medical assistant visit encampments and parks.",
        "Anyone.",
        ("English", "Spanish"),
        "905 Jefferson Street",
        47.6040,
        -122.3230,
        "206-555-0111",
        "MO,WE,FR",
        "10:00",
        "14:00",
    ),
    (
        "Open Door Recovery",
        "Buprenorphine same-day start",
        ("Medication for opioid use disorder",),
        "Low-barrier medication for opioid use disorder, started the day you come in. Voluntary.",
        "Adults who use opioids.",
        ("English", "Spanish"),
        "1400 Yesler Way",
        47.6015,
        -122.3170,
        "206-555-0112",
        WEEKDAYS,
        "08:00",
        "15:00",
    ),
    (
        "Open Door Recovery",
        "Methadone clinic",
        ("Medication for opioid use disorder",),
        "Daily methadone dosing with counselling on request. Voluntary.",
        "Adults with opioid use disorder.",
        ("English", "Russian"),
        "1400 Yesler Way",
        47.6015,
        -122.3170,
        "206-555-0113",
        EVERY_DAY,
        "05:30",
        "13:00",
    ),
    (
        "Open Door Recovery",
        "Outpatient counselling",
        ("Substance use treatment (voluntary)",),
        "Counselling and peer support, with no abstinence requirement.",
        "Adults.",
        ("English", "Spanish"),
        "1400 Yesler Way",
        47.6015,
        -122.3170,
        "206-555-0114",
        WEEKDAYS,
        "09:00",
        "19:00",
    ),
    (
        "Harbor Food Bank",
        "Food bank",
        ("Food",),
        "Groceries once a week; no ID or address needed.",
        "Anyone.",
        ("English", "Spanish", "Chinese"),
        "2200 Rainier Avenue",
        47.5820,
        -122.3000,
        "206-555-0115",
        "TU,TH,SA",
        "10:00",
        "14:00",
    ),
    (
        "Harbor Food Bank",
        "Hot meals",
        ("Food",),
        "Hot lunch served every day.",
        "Anyone.",
        ("English", "Spanish"),
        "88 Dock Street",
        47.6021,
        -122.3365,
        "206-555-0116",
        EVERY_DAY,
        "11:30",
        "13:00",
    ),
    (
        "Cascade Transit Access",
        "Reduced-fare transit card",
        ("Transportation",),
        "Reduced-fare and free transit cards for people with low income.",
        "Low income; ID helps but is not required.",
        ("English", "Spanish", "Korean"),
        "201 Second Avenue",
        47.6005,
        -122.3330,
        "206-555-0117",
        WEEKDAYS,
        "08:00",
        "17:00",
    ),
    (
        "Cascade Transit Access",
        "Rides to medical appointments",
        ("Transportation", "Health care"),
        "Free rides to medical and treatment appointments; book a day ahead.",
        "People on state health coverage.",
        ("English", "Spanish"),
        "201 Second Avenue",
        47.6005,
        -122.3330,
        "206-555-0118",
        WEEKDAYS,
        "07:00",
        "18:00",
    ),
    (
        "North Shore Family Services",
        "Women's shelter",
        ("Emergency shelter",),
        "Confidential shelter for women and their children.",
        "Women and families.",
        ("English", "Spanish"),
        "7700 Aurora Avenue North",
        47.6850,
        -122.3440,
        "206-555-0119",
        EVERY_DAY,
        "00:00",
        "23:59",
    ),
    (
        "North Shore Family Services",
        "Housing search help",
        ("Housing",),
        "Help with rental applications, deposits and landlord mediation.",
        "Families.",
        ("English", "Spanish"),
        "7700 Aurora Avenue North",
        47.6850,
        -122.3440,
        "206-555-0120",
        WEEKDAYS,
        "09:00",
        "17:00",
    ),
)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _language_code(name: str) -> str:
    codes = {
        "English": "en",
        "Spanish": "es",
        "Vietnamese": "vi",
        "Somali": "so",
        "Tagalog": "tl",
        "Amharic": "am",
        "Russian": "ru",
        "Chinese": "zh",
        "Korean": "ko",
    }
    return codes[name]


def directory_document() -> list:
    """The demo directory as a list of HSDS `organization_full` objects."""
    taxonomy = {
        "id": _id("taxonomy"),
        "name": "Harbor City needs",
        "description": "Needs case managers search by",
        "version": "1",
    }
    terms = {}
    for name, parent in NEEDS.items():
        terms[name] = {
            "id": _id("term", name),
            "name": name,
            "description": f"Services for: {name.lower()}",
            "code": name.lower().replace(" ", "-"),
            "taxonomy_detail": taxonomy,
        }
        if parent:
            terms[name]["parent_id"] = _id("term", parent)
    organizations = {}
    for (
        org,
        name,
        needs,
        description,
        eligibility,
        languages,
        street,
        lat,
        lon,
        phone,
        days,
        opens,
        closes,
    ) in SERVICES:
        organization = organizations.setdefault(
            org,
            {
                "id": _id("org", org),
                "name": org,
                "description": f"{org} serves Harbor City and Cascade County.",
                "locations": [],
                "services": [],
            },
        )
        location_id = _id("location", org, street)
        if not any(loc["id"] == location_id for loc in organization["locations"]):
            organization["locations"].append(
                {
                    "id": location_id,
                    "location_type": "physical",
                    "name": f"{org}, {street}",
                    "latitude": lat,
                    "longitude": lon,
                    "addresses": [
                        {
                            "id": _id("address", org, street),
                            "address_1": street,
                            "city": "Harbor City",
                            "state_province": "WA",
                            "postal_code": "98104",
                            "country": "US",
                            "address_type": "physical",
                        }
                    ],
                }
            )
        service_id = _id("service", org, name)
        organization["services"].append(
            {
                "id": service_id,
                "name": name,
                "status": "active",
                "description": description,
                "eligibility_description": eligibility,
                "languages": [
                    {"id": _id("language", service_id, lang), "name": lang, "code": _language_code(lang)}
                    for lang in languages
                ],
                "phones": [{"id": _id("phone", service_id), "number": phone, "type": "voice"}],
                "schedules": [
                    {
                        "id": _id("schedule", service_id),
                        "freq": "WEEKLY",
                        "byday": days,
                        "opens_at": opens,
                        "closes_at": closes,
                    }
                ],
                "service_at_locations": [{"id": _id("sal", service_id), "location_id": location_id}],
                "attributes": [
                    {
                        "id": _id("attribute", service_id, need),
                        "link_entity": "service",
                        "taxonomy_term": terms[need],
                    }
                    for need in needs
                ],
            }
        )
    # Every term travels with the data, used or not, so the need list shows the whole taxonomy.
    return [*organizations.values(), *terms.values()]


def directory_demo_load(program) -> actions.ImportResult:
    """Load (or refresh) the demo directory into a program."""
    data = Dataset()
    read_json_document(data, directory_document(), "synthetic directory")
    return actions.directory_import(
        actor=Actor.system("demo directory", program=program), data=data, source="synthetic directory"
    )
