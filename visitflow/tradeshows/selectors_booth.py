"""Reads for the booth pages: the live board and one booth visit (booth staff only)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from visitflow.tradeshows.models import BoothVisit, BoothVisitState, TradeShow
from visitflow.tradeshows.services.booth import unattended_after

BOARD_MAX = 100


@dataclass(frozen=True)
class BoardRow:
    visit: BoothVisit
    minutes: int
    overdue: bool


@dataclass(frozen=True)
class Board:
    waiting: list[BoardRow]
    attended: list[BoardRow]
    left_today: int


def booth_board(show: TradeShow, now: datetime | None = None) -> Board:
    """Who is at the booth now: waiting first (old customers on top, longest wait next),
    then who is with whom. Two queries whatever the crowd."""
    now = now or timezone.now()
    present = list(
        show.booth_visits.exclude(state=BoothVisitState.LEFT)
        .select_related("attended_by", "invitation__owner", "lead")
        .order_by("-greet_first", "arrived_at", "pk")[:BOARD_MAX]
    )
    limit = unattended_after()
    waiting, attended = [], []
    for visit in present:
        if visit.state == BoothVisitState.WAITING:
            waited = now - visit.arrived_at
            waiting.append(BoardRow(visit, int(waited.total_seconds() // 60), waited >= limit))
        else:
            since = visit.attended_at or visit.arrived_at
            attended.append(BoardRow(visit, int((now - since).total_seconds() // 60), False))
    today = timezone.localdate()
    left = show.booth_visits.filter(state=BoothVisitState.LEFT, left_at__date=today).count()
    return Board(waiting=waiting, attended=attended, left_today=left)


def booth_visit_get(show: TradeShow, pk: int) -> BoothVisit:
    visit = (
        show.booth_visits.filter(pk=pk)
        .select_related("attended_by", "invitation__owner", "lead", "customer", "gift_item")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def booth_visits_for_show(show: TradeShow) -> QuerySet[BoothVisit]:
    return show.booth_visits.select_related("attended_by", "customer").order_by("-arrived_at")
