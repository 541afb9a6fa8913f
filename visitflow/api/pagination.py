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


class PageOrOffsetPagination(PaginationBase):
    """`page`/`page_size` (what the web UI links use) or `limit`/`offset` (what most
    API clients speak); the response always carries `count`."""

    class Input(Schema):
        page: int | None = Field(None, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        limit: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        offset: int | None = Field(None, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        count: int
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
        return {"items": queryset[start : start + size], "count": queryset.count()}
