"""Writes for trade shows, their staff posts and shifts (SOP 5.3, 5.3.3)."""

from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.accounts.selectors_absences import absence_text, absences_overlapping, company_zone
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model
from visitflow.tradeshows.models import StaffPost, StaffShift, TradeShow

SHOW_FIELDS = ["name", "venue", "city", "starts_on", "ends_on", "booth_number"]


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _check_show(show: TradeShow) -> None:
    # A form leaves a date empty (None) when it could not read it; validate_model says so.
    starts_on: date | None = show.starts_on
    ends_on: date | None = show.ends_on
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise _error("ends_on", _("The last day cannot be before the first day."))
    validate_model(show, exclude=["organizer"])


def _check_team_against_shifts(show: TradeShow, team: list[User]) -> None:
    if show.pk is None:
        return
    keep = {person.pk for person in team}
    staffed = (
        StaffShift.objects.filter(post__show=show)
        .exclude(person_id__in=keep)
        .select_related("person")
        .first()
    )
    if staffed is not None:
        raise _error(
            "team",
            _("%(person)s still has shifts at this booth; remove the shifts first.")
            % {"person": staffed.person},
        )


def _check_days_against_shifts(show: TradeShow) -> None:
    if show.pk is None:
        return
    outside = StaffShift.objects.filter(post__show=show).exclude(
        day__gte=show.starts_on, day__lte=show.ends_on
    )
    if outside.exists():
        raise _error("starts_on", _("Some shifts fall outside the new dates; move them first."))


@transaction.atomic
def tradeshow_create(*, actor: User, team: list[User] | None = None, **data: Any) -> TradeShow:
    show = TradeShow(organizer=actor, **{k: data[k] for k in SHOW_FIELDS if k in data})
    _check_show(show)
    show.save()
    show.team.set(team or [])
    log_activity(
        actor=actor, action="tradeshow.created", obj=show, changes=snapshot(show, SHOW_FIELDS)
    )
    return show


@transaction.atomic
def tradeshow_update(
    *, actor: User, show: TradeShow, data: dict[str, Any], team: list[User] | None = None
) -> TradeShow:
    before = snapshot(show, SHOW_FIELDS)
    for name in SHOW_FIELDS:
        if name in data:
            setattr(show, name, data[name])
    _check_show(show)
    _check_days_against_shifts(show)
    if team is not None:
        _check_team_against_shifts(show, team)
    show.save()
    changes: dict[str, Any] = diff_snapshots(before, snapshot(show, SHOW_FIELDS))
    if team is not None:
        old = set(show.team.values_list("pk", flat=True))
        show.team.set(team)
        if old != {p.pk for p in team}:
            changes["team"] = [str(len(old)), str(len(team))]
    log_activity(actor=actor, action="tradeshow.updated", obj=show, changes=changes)
    return show


@transaction.atomic
def staff_post_create(*, actor: User, show: TradeShow, name: str, position: int = 0) -> StaffPost:
    name = name.strip()
    if not name:
        raise _error("name", _("Give the post a name, for example “reception desk”."))
    if show.posts.filter(name=name).exists():
        raise _error("name", _("This booth already has a post named %(name)s.") % {"name": name})
    post = StaffPost.objects.create(show=show, name=name, position=position)
    log_activity(actor=actor, action="staffpost.created", obj=post, changes={"name": name})
    return post


@transaction.atomic
def staff_post_delete(*, actor: User, post: StaffPost) -> None:
    log_activity(actor=actor, action="staffpost.deleted", obj=post)
    post.delete()


def _instant(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=company_zone())


@transaction.atomic
def staff_shift_create(
    *, actor: User, post: StaffPost, person: User, day: date, starts_at: time, ends_at: time
) -> StaffShift:
    """SOP 5.3.3 staff stand at their assigned post: one post at a time, never while away."""
    show = post.show
    if ends_at <= starts_at:
        raise _error("ends_at", _("A shift must end after it starts."))
    if not show.starts_on <= day <= show.ends_on:
        raise _error(
            "day",
            _("The show runs from %(start)s to %(end)s.")
            % {"start": show.starts_on.isoformat(), "end": show.ends_on.isoformat()},
        )
    if not show.team.filter(pk=person.pk).exists():
        raise _error("person", _("%(person)s is not in this booth's team.") % {"person": person})
    # Lock the person's row so two shifts for them cannot be written side by side.
    User.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
    absence = absences_overlapping(
        person_ids=[person.pk], starts_at=_instant(day, starts_at), ends_at=_instant(day, ends_at)
    ).first()
    if absence is not None:
        raise _error("person", absence_text(absence))
    clash = (
        StaffShift.objects.filter(
            person=person, day=day, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("post__show")
        .first()
    )
    if clash is not None:
        raise _error(
            "starts_at",
            _("%(person)s is already on “%(post)s” (%(show)s) from %(start)s to %(end)s.")
            % {
                "person": person,
                "post": clash.post,
                "show": clash.post.show,
                "start": clash.starts_at.strftime("%H:%M"),
                "end": clash.ends_at.strftime("%H:%M"),
            },
        )
    try:
        with transaction.atomic():
            shift = StaffShift.objects.create(
                post=post, person=person, day=day, starts_at=starts_at, ends_at=ends_at
            )
    except IntegrityError as exc:
        raise _error("ends_at", _("A shift must end after it starts.")) from exc
    log_activity(
        actor=actor,
        action="staffshift.created",
        obj=shift,
        changes={
            "person": str(person),
            "day": day.isoformat(),
            "time": f"{starts_at:%H:%M}-{ends_at:%H:%M}",
        },
    )
    return shift


@transaction.atomic
def staff_shift_delete(*, actor: User, shift: StaffShift) -> None:
    log_activity(actor=actor, action="staffshift.deleted", obj=shift)
    shift.delete()
