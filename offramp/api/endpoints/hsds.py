"""The service directory in Open Referral HSDS 3.0's own API shape (its OpenAPI document's paths and
paginated list bodies), under /api/v1/hsds/. Each list takes `page` and `per_page` and a `search` on names.
"""

import math
from typing import Any

from django.http import Http404
from ninja import Query, Router
from ninja import Schema as NinjaSchema
from pydantic import Field

from offramp.api import scopes as s
from offramp.api.core import acting
from offramp.directory.queries import directory_rows
from offramp.directory.writing import compound_all

router = Router(tags=["directory (HSDS 3.0)"])
HSDS_VERSION = "3.0"
PROFILE = "https://openreferral.org/specification/3.0/"
MAX_PER_PAGE = 200


# One HSDS 3.0 object (service, organization, service_at_location, taxonomy, taxonomy_term) as the HSDS
# schemas define it; documented as an object, since HSDS's own schemas are the contract.
HsdsObject = dict[str, Any]


class HsdsPage(NinjaSchema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class HsdsRoot(NinjaSchema):
    version: str
    profile: str
    openapi_url: str


class Paging(NinjaSchema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    search: str = Field("", max_length=200)


def _records(request, table: str) -> list[dict]:
    actor = acting(request, s.DIRECTORY_READ)
    return compound_all(directory_rows(actor, purpose=f"api:{table}"), table)


def _page(items: list[dict], paging: Paging) -> dict:
    if paging.search.strip():
        term = paging.search.strip().casefold()
        items = [i for i in items if term in str(i.get("name", "")).casefold()]
    total = len(items)
    pages = max(1, math.ceil(total / paging.per_page))
    start = (paging.page - 1) * paging.per_page
    contents = items[start : start + paging.per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _one(request, table: str, record_id: str) -> dict:
    found = next((r for r in _records(request, table) if r["id"] == record_id.lower()), None)
    if found is None:
        raise Http404("Not found")
    return found


@router.get("/", response=HsdsRoot, operation_id="hsds_root")
def root(request):
    acting(request, s.DIRECTORY_READ)
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE,
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }


def _list_and_item(table: str, plural: str) -> None:
    def listing(request, paging: Query[Paging]):
        return _page(_records(request, table), paging)

    def item(request, record_id: str):
        return _one(request, table, record_id)

    listing.__name__ = f"hsds_{plural}"
    item.__name__ = f"hsds_{table}"
    listing.__doc__ = f"A page of the directory's {plural.replace('_', ' ')} (HSDS 3.0 objects)."
    item.__doc__ = f"One {table.replace('_', ' ')} by its HSDS id."
    router.get(f"/{plural}", response=HsdsPage, operation_id=f"hsds_{plural}")(listing)
    router.get(f"/{plural}/{{record_id}}", response=HsdsObject, operation_id=f"hsds_{table}")(item)


for _table, _plural in (
    ("service", "services"),
    ("organization", "organizations"),
    ("service_at_location", "service_at_locations"),
    ("taxonomy", "taxonomies"),
    ("taxonomy_term", "taxonomy_terms"),
):
    _list_and_item(_table, _plural)
