"""The daily digest (issue 5): at REMINDER_DIGEST_HOUR each person gets their day — visits
they host, pickups and see-offs they escort or drive, leader meetings, steps, calls,
follow-ups and requests due, and what is overdue. Nothing on the day: no message."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import User
from visitflow.logistics.models import LeaderMeeting, MeetingState, Transfer
from visitflow.reminders.messages import Message
from visitflow.reminders.planning import CLOSED_VISIT, UNDER_WAY
from visitflow.visits.models import (
    OPEN_REQUEST_STATES,
    FollowUp,
    FollowUpState,
    StepState,
    Visit,
    VisitRequest,
    VisitStep,
)

NAMES_SHOWN = 3


def _names(items: list[str]) -> str:
    shown = "、".join(items[:NAMES_SHOWN])
    return shown + ("…" if len(items) > NAMES_SHOWN else "")


def _line(text: Promise, count: int, names: list[str] | None = None) -> Promise:
    """`text` is an ngettext_lazy(…, "count"); it is chosen and filled only when the
    digest is rendered, in the recipient's language."""

    def render() -> str:
        line = text % {"count": count}
        if not names:
            return str(line)
        return gettext("%(line)s: %(names)s") % {"line": line, "names": _names(names)}

    return lazy(render, str)()  # type: ignore[return-value]


def digest_lines(user: User, day: date, *, now: datetime | None = None) -> list[Promise]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    now = now or timezone.now()
    lines: list[Promise] = []

    visits = list(
        Visit.objects.filter(Q(host=user, stand_in__isnull=True) | Q(stand_in=user))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(status__in=CLOSED_VISIT)
        .select_related("customer")
        .order_by("starts_at")
    )
    if visits:
        names = [str(v.customer.short_name or v.customer.name) for v in visits]
        lines.append(
            _line(
                ngettext_lazy("%(count)d visit today", "%(count)d visits today", "count"),
                len(visits),
                names,
            )
        )

    trips = list(
        Transfer.objects.filter(Q(escort=user) | Q(driver=user))
        .filter(state__in=UNDER_WAY, leaves_at__lt=end, back_at__gt=start)
        .select_related("leg")
        .order_by("leaves_at")
    )
    if trips:
        names = [f"{timezone.localtime(t.leaves_at):%H:%M} {t.leg.number}" for t in trips]
        lines.append(
            _line(
                ngettext_lazy(
                    "%(count)d pickup or see-off", "%(count)d pickups and see-offs", "count"
                ),
                len(trips),
                names,
            )
        )

    meetings = list(
        LeaderMeeting.objects.filter(
            leader=user, state=MeetingState.ACCEPTED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("visit__customer")
        .order_by("starts_at")
    )
    if meetings:
        names = [
            f"{timezone.localtime(m.starts_at):%H:%M} "
            f"{m.visit.customer.short_name or m.visit.customer.name}"
            for m in meetings
        ]
        lines.append(
            _line(
                ngettext_lazy("%(count)d leader meeting", "%(count)d leader meetings", "count"),
                len(meetings),
                names,
            )
        )

    steps = VisitStep.objects.filter(owner=user, state=StepState.PENDING).exclude(
        visit__status__in=CLOSED_VISIT
    )
    due_today = steps.filter(due_at__gte=max(start, now), due_at__lt=end).count()
    overdue = steps.filter(due_at__lt=now).count()
    if due_today:
        lines.append(
            _line(
                ngettext_lazy("%(count)d step due today", "%(count)d steps due today", "count"),
                due_today,
            )
        )
    if overdue:
        lines.append(
            _line(
                ngettext_lazy("%(count)d step overdue", "%(count)d steps overdue", "count"), overdue
            )
        )

    follow_ups = FollowUp.objects.filter(
        owner=user, state=FollowUpState.OPEN, due_date__lte=day
    ).count()
    if follow_ups:
        lines.append(
            _line(
                ngettext_lazy("%(count)d follow-up due", "%(count)d follow-ups due", "count"),
                follow_ups,
            )
        )
    requests = VisitRequest.objects.filter(
        owner=user, state__in=OPEN_REQUEST_STATES, due_date__lte=day
    ).count()
    if requests:
        lines.append(
            _line(
                ngettext_lazy(
                    "%(count)d customer request due", "%(count)d customer requests due", "count"
                ),
                requests,
            )
        )
    return lines


def digest_for(user: User, day: date, *, now: datetime | None = None) -> Message | None:
    lines = digest_lines(user, day, now=now)
    if not lines:
        return None
    body = format_lazy("\n".join(["{}"] * len(lines)), *lines)
    return Message(
        format_lazy(_("Your day, {day}"), day=day.isoformat()),
        body,
        reverse("visits:my_day"),
    )
