"""Reads of trade shows, scoped to the user who asks (404 for missing and not yours)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from visitflow.accounts.models import User
from visitflow.tradeshows.models import StaffPost, StaffShift, TradeShow
from visitflow.tradeshows.permissions import can_list_shows


def tradeshow_list_for_user(user: User, *, upcoming_only: bool = False) -> QuerySet[TradeShow]:
    if not can_list_shows(user):
        return TradeShow.objects.none()
    shows = TradeShow.objects.select_related("organizer")
    if upcoming_only:
        from django.utils import timezone

        shows = shows.filter(ends_on__gte=timezone.localdate())
    return shows.order_by("-starts_on", "name")


def tradeshow_get_for_user(user: User, pk: int) -> TradeShow:
    show = tradeshow_list_for_user(user).filter(pk=pk).first()
    if show is None:
        raise Http404
    return show


def team_choices(show: TradeShow) -> QuerySet[User]:
    return show.team.filter(is_active=True).order_by("display_name", "username")


@dataclass(frozen=True)
class PostRow:
    post: StaffPost
    shifts_by_day: list[tuple[date, list[StaffShift]]]


def staffing_table(show: TradeShow) -> list[PostRow]:
    """Each post with its shifts per show day (two queries whatever the size)."""
    posts = show.posts.prefetch_related(
        Prefetch(
            "shifts",
            queryset=StaffShift.objects.select_related("person").order_by("day", "starts_at"),
        )
    )
    rows = []
    for post in posts:
        by_day: dict[date, list[StaffShift]] = defaultdict(list)
        for shift in post.shifts.all():
            by_day[shift.day].append(shift)
        rows.append(PostRow(post=post, shifts_by_day=[(d, by_day.get(d, [])) for d in show.days]))
    return rows


def staff_post_get(show: TradeShow, pk: int) -> StaffPost:
    post = show.posts.filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def staff_shift_get(show: TradeShow, pk: int) -> StaffShift:
    shift = StaffShift.objects.filter(post__show=show, pk=pk).select_related("post").first()
    if shift is None:
        raise Http404
    return shift
