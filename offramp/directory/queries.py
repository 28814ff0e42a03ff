"""Reading the service directory: search for case workers, summary and export for project managers.

Directory data is the program's public-facing information about providers, not
participant data: every staff role in the program may read it, and searches are not
audited. An export is audited, as every bulk copy leaving the system is.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor
from offramp.directory.geo import bounding_box, haversine_miles, on_earth
from offramp.directory.hsds import TABLES, column
from offramp.directory.models import (
    MODELS,
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

OPEN_STATUSES = ("active", "temporarily closed")
RESULT_LIMIT = 50
DEFAULT_MILES = 5.0
AREA = "area:"  # the key prefix of a program area among the places to search near
DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}


def _require_staff(actor: Actor) -> None:
    """Any role in the program reads its directory; someone with no program sees no directory."""
    if actor.program is None or not actor.roles:
        raise Http404("Not found")


@dataclass(frozen=True)
class SearchFilter:
    text: str = ""
    need: str = ""  # a taxonomy term's HSDS id; its narrower terms match too
    language: str = ""  # a language name or code, any case
    latitude: float | None = None
    longitude: float | None = None
    miles: float = DEFAULT_MILES

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class ServiceResult:
    hsds_id: str
    name: str
    status: str
    organization: str = ""
    description: str = ""
    eligibility: str = ""
    url: str = ""
    languages: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    phone: str = ""
    address: str = ""
    distance: float | None = None


def search_options(actor: Actor) -> dict:
    """The needs (taxonomy terms) and languages the program's directory holds, for the search form."""
    _require_staff(actor)
    terms = TaxonomyTerm.objects.filter(program=actor.program).order_by("name").values_list("hsds_id", "name")
    languages = (
        Language.objects.filter(program=actor.program, name__isnull=False)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return {"needs": [(str(i), n) for i, n in terms], "languages": sorted(set(languages))}


def search_places(actor: Actor) -> dict[str, tuple[str, float, float]]:
    """Places to search near, by name: the program's own areas (the `areas` setting: precincts, beats,
    neighbourhoods), then from the directory's own addresses each town and postal code (at the middle
    of its locations) and each location. key -> (label, latitude, longitude). Two queries."""
    _require_staff(actor)
    points = {
        str(lid): (name, lat, lon)
        for lid, name, lat, lon in Location.objects.filter(program=actor.program).values_list(
            "hsds_id", "name", "latitude", "longitude"
        )
        if on_earth(lat, lon)
    }
    towns: dict[str, list] = defaultdict(list)
    codes: dict[str, list] = defaultdict(list)
    for lid, city, region, code in Address.objects.filter(program=actor.program).values_list(
        "location_id", "city", "state_province", "postal_code"
    ):
        point = points.get(str(lid))
        if point is None:
            continue
        if city and city.strip():
            towns[", ".join(x.strip() for x in (city, region or "") if x and x.strip())].append(point)
        if code and code.strip():
            codes[code.strip()].append(point)

    def middle(found: list) -> tuple[float, float]:
        return sum(p[1] for p in found) / len(found), sum(p[2] for p in found) / len(found)

    places: dict[str, tuple[str, float, float]] = {}
    for name, (lat, lon) in sorted(
        actor.program.setting("areas").items(), key=lambda item: item[0].casefold()
    ):
        places[f"{AREA}{name}"] = (name, lat, lon)
    for town in sorted(towns):
        places[f"town:{town}"] = (town, *middle(towns[town]))
    for code in sorted(codes):
        places[f"postal:{code}"] = (f"Postal code {code}", *middle(codes[code]))
    for lid, (name, lat, lon) in sorted(points.items(), key=lambda item: (item[1][0] or "", item[0])):
        places[f"location:{lid}"] = (name or "A directory location", lat, lon)
    return places


def _narrower(program, term_id: str) -> set:
    """A term and every term below it (parent_id links), walked in Python: taxonomies are small."""
    pairs = list(TaxonomyTerm.objects.filter(program=program).values_list("hsds_id", "parent_id"))
    children = defaultdict(list)
    for tid, parent in pairs:
        if parent:
            children[str(parent)].append(str(tid))
    found, todo = set(), [term_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def _nearby(program, query: SearchFilter) -> dict:
    """Service id -> miles to its nearest location within the radius (box prefilter, exact haversine)."""
    south, north, west, east = bounding_box(query.latitude, query.longitude, query.miles)
    boxed = Location.objects.filter(
        program=program, latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    ).values_list("hsds_id", "latitude", "longitude")
    miles = {}
    for lid, lat, lon in boxed:
        if on_earth(lat, lon):
            d = haversine_miles(query.latitude, query.longitude, lat, lon)
            if d <= query.miles:
                miles[lid] = d
    nearest = {}
    links = ServiceAtLocation.objects.filter(program=program, location_id__in=list(miles))
    for sid, lid in links.values_list("service_id", "location_id"):
        if sid is not None:
            nearest[sid] = min(nearest.get(sid, miles[lid]), miles[lid])
    return nearest


def service_search(actor: Actor, query: SearchFilter) -> list[ServiceResult]:
    """Open services matching need, words, language and distance; nearest first when a point is given.

    A constant number of queries whatever the directory's size: the filters are
    subqueries, and the details of the (at most 50) results come in one query per table.
    """
    _require_staff(actor)
    program = actor.program
    services = Service.objects.filter(program=program, status__in=OPEN_STATUSES)
    if query.text:
        organizations = Organization.objects.filter(program=program, name__icontains=query.text)
        services = services.filter(
            Q(name__icontains=query.text)
            | Q(alternate_name__icontains=query.text)
            | Q(description__icontains=query.text)
            | Q(organization_id__in=organizations.values("hsds_id"))
        )
    if query.need:
        linked = Attribute.objects.filter(
            program=program, taxonomy_term_id__in=_narrower(program, query.need)
        )
        services = services.filter(hsds_id__in=linked.values("link_id"))
    if query.language:
        spoken = Language.objects.filter(program=program).filter(
            Q(name__iexact=query.language) | Q(code__iexact=query.language)
        )
        at_locations = ServiceAtLocation.objects.filter(
            program=program, location_id__in=spoken.values("location_id")
        )
        services = services.filter(
            Q(hsds_id__in=spoken.values("service_id")) | Q(hsds_id__in=at_locations.values("service_id"))
        )
    distances = None
    if query.near:
        distances = _nearby(program, query)
        services = services.filter(hsds_id__in=list(distances))
    if distances is None:
        found = list(services.order_by("name", "hsds_id")[:RESULT_LIMIT])
    else:
        found = sorted(services, key=lambda s: (distances[s.hsds_id], s.name or ""))[:RESULT_LIMIT]
    return _results(program, found, distances or {})


def _hours(schedule) -> str:
    days = ", ".join(
        DAYS.get(d.strip().upper(), d.strip()) for d in (schedule.byday or "").split(",") if d.strip()
    )
    times = (
        f"{schedule.opens_at[:5]}–{schedule.closes_at[:5]}"
        if schedule.opens_at and schedule.closes_at
        else ""
    )
    text = " ".join(part for part in (days, times) if part)
    return text or (schedule.description or "")


def _address(address) -> str:
    parts = (address.address_1, address.address_2, address.city, address.state_province, address.postal_code)
    return ", ".join(p for p in parts if p)


def _results(program, services: list, distances: dict) -> list[ServiceResult]:
    ids = [s.hsds_id for s in services]
    orgs = dict(
        Organization.objects.filter(
            program=program, hsds_id__in=[s.organization_id for s in services]
        ).values_list("hsds_id", "name")
    )
    sal = defaultdict(list)  # service -> [(sal id, location id)]
    for sid, sal_id, lid in ServiceAtLocation.objects.filter(program=program, service_id__in=ids).values_list(
        "service_id", "hsds_id", "location_id"
    ):
        sal[sid].append((sal_id, lid))
    location_ids = {lid for links in sal.values() for _s, lid in links if lid}
    sal_ids = {s for links in sal.values() for s, _l in links}
    addresses = defaultdict(list)
    for a in Address.objects.filter(program=program, location_id__in=location_ids).order_by(
        "address_type", "hsds_id"
    ):
        addresses[a.location_id].append(a)
    phones = defaultdict(list)
    for p in (
        Phone.objects.filter(program=program)
        .filter(
            Q(service_id__in=ids) | Q(location_id__in=location_ids) | Q(service_at_location_id__in=sal_ids)
        )
        .order_by("hsds_id")
    ):
        for owner in (p.service_id, p.service_at_location_id, p.location_id):
            if owner:
                phones[owner].append(p)
    languages = defaultdict(set)
    for lang in Language.objects.filter(program=program).filter(
        Q(service_id__in=ids) | Q(location_id__in=location_ids)
    ):
        for owner in (lang.service_id, lang.location_id):
            if owner and lang.name:
                languages[owner].add(lang.name)
    schedules = defaultdict(list)
    for sch in (
        Schedule.objects.filter(program=program)
        .filter(
            Q(service_id__in=ids) | Q(location_id__in=location_ids) | Q(service_at_location_id__in=sal_ids)
        )
        .order_by("hsds_id")
    ):
        for owner in (sch.service_at_location_id, sch.service_id, sch.location_id):
            if owner:
                schedules[owner].append(sch)
    results = []
    for s in services:
        links = sal[s.hsds_id]
        places = [lid for _s, lid in links if lid]
        owners = [s.hsds_id, *(sid for sid, _l in links), *places]
        phone = next((p for owner in owners for p in phones[owner]), None)
        spoken = (
            set(languages[s.hsds_id]).union(*(languages[lid] for lid in places))
            if places
            else languages[s.hsds_id]
        )
        hours = next((schedules[owner] for owner in owners if schedules[owner]), [])
        address = next((a for lid in places for a in addresses[lid]), None)
        results.append(
            ServiceResult(
                hsds_id=str(s.hsds_id),
                name=s.name or "",
                status=s.status or "",
                organization=orgs.get(s.organization_id, ""),
                description=s.description or "",
                eligibility=s.eligibility_description or "",
                url=s.url or "",
                languages=sorted(spoken),
                hours=[h for h in (_hours(x) for x in hours) if h],
                phone=phone.number if phone else "",
                address=_address(address) if address else "",
                distance=round(distances[s.hsds_id], 1) if s.hsds_id in distances else None,
            )
        )
    return results


def directory_summary(actor: Actor) -> dict:
    """How many records of each kind the program's directory holds."""
    _require_staff(actor)
    return {t.name: MODELS[t.name].objects.filter(program=actor.program).count() for t in TABLES}


def directory_rows(actor: Actor, *, purpose: str) -> dict:
    """Every directory record of the program as HSDS values, for an export (audited)."""
    _require_staff(actor)
    rows = {}
    for spec in TABLES:
        names = [f.name for f in spec.fields]
        columns = [column(spec.name, n) for n in names]
        items = []
        for record in MODELS[spec.name].objects.filter(program=actor.program).values_list(*columns):
            values = {}
            for f, value in zip(spec.fields, record, strict=True):
                if value is None:
                    continue
                values[f.name] = str(value) if f.kind == "uuid" else value
            items.append(values)
        rows[spec.name] = items
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="Directory",
        detail={"purpose": purpose, "records": sum(len(v) for v in rows.values())},
    )
    return rows
