from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Bounds keep a silly page number from becoming an OFFSET the database cannot hold.
MAX_PAGE = 1_000_000
MAX_OFFSET = MAX_PAGE * MAX_PAGE_SIZE
# Counting stops here: an exact COUNT(*) over a manager's 70,000 visits costs ~0.4 s on
# every page; past the cap the answer says so (count_exact false) and clients filter.
COUNT_CAP = 10_000


class PageOrOffsetPagination(PaginationBase):
    """`page`/`page_size` (what the web UI links use) or `limit`/`offset` (what most
    API clients speak); the response always carries `count`, exact up to COUNT_CAP
    (`count_exact` says whether it is)."""

    class Input(Schema):
        page: int | None = Field(None, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        limit: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        offset: int | None = Field(None, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        count: int = Field(..., description=f"Exact up to {COUNT_CAP}; see count_exact")
        count_exact: bool
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        uses_pages = pagination.page is not None or pagination.page_size is not None
        uses_offset = pagination.limit is not None or pagination.offset is not None
        if uses_pages and uses_offset:
            msg = _("Use either page and page_size or limit and offset.")
            raise ValidationError([{"loc": ["query", "limit"], "msg": msg, "type": "value_error"}])
        if uses_offset:
            size = pagination.limit or DEFAULT_PAGE_SIZE
            start = pagination.offset or 0
        else:
            size = pagination.page_size or DEFAULT_PAGE_SIZE
            start = ((pagination.page or 1) - 1) * size
        counted = queryset[: COUNT_CAP + 1].count()
        return {
            "items": queryset[start : start + size],
            "count": min(counted, COUNT_CAP),
            "count_exact": counted <= COUNT_CAP,
        }
