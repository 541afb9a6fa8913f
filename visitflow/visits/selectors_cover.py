"""Reads for SOP 5.2: the manager's "cover needed" list, the cover tasks on My day and the
hand-over brief a stand-in reads. Always scoped to the user who asks."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from visitflow.accounts.models import Absence, Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.accounts.selectors_absences import company_zone
from visitflow.customers.models import Contact, Customer
from visitflow.visits.models import (
    OPEN_COVER_STATES,
    OPEN_REQUEST_STATES,
    CoverRequest,
    CoverState,
    FollowUp,
    FollowUpState,
    RescheduleState,
    TravelLeg,
    Visit,
    Visitor,
    VisitRequest,
    VisitReschedule,
    VisitStatus,
)
from visitflow.visits.selectors import VISIT_MAX_DAYS, visit_base_qs_for_user

CLASH_STATES = (VisitStatus.DRAFT, VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS)


def can_view_cover_needed(user: User) -> bool:
    return is_admin(user) or role_of(user) == Role.SALES_MANAGER


def _away_q(person_field: str) -> Exists:
    """The person (the visit's host or stand-in) has an absence on any local day of the
    visit (the visit query carries its first and last local day as `first_day` and
    `last_day`)."""
    return Exists(
        Absence.objects.filter(
            person_id=OuterRef(person_field),
            starts_on__lte=OuterRef("last_day"),
            ends_on__gte=OuterRef("first_day"),
        )
    )


def cover_needed_for_user(user: User) -> QuerySet[Visit]:
    """SOP 5.2, nothing slips through: every upcoming visit of the manager's team whose
    host is away at any time of it and that nobody covers yet (asked for or not), and
    every one whose stand-in has since become away too."""
    if not can_view_cover_needed(user):
        return Visit.objects.none()
    now = timezone.now()
    qs = Visit.objects.filter(
        status__in=CLASH_STATES,
        ends_at__gte=now,
        starts_at__gte=now - timedelta(days=VISIT_MAX_DAYS),
        customer__is_active=True,
    )
    zone = company_zone()
    qs = qs.annotate(
        first_day=TruncDate("starts_at", tzinfo=zone), last_day=TruncDate("ends_at", tzinfo=zone)
    ).filter(
        (Q(stand_in__isnull=True) & _away_q("host_id"))
        | (Q(stand_in__isnull=False) & _away_q("stand_in_id"))
    )
    if not is_admin(user):
        team_people = User.objects.filter(Q(pk=user.pk) | Q(team__manager=user)).values("pk")
        qs = qs.filter(host__in=team_people)
    today = timezone.localdate(timezone=company_zone())
    recent = Absence.objects.filter(ends_on__gte=today - timedelta(days=VISIT_MAX_DAYS))
    return (
        qs.select_related("customer", "customer__level", "host", "host__team", "stand_in")
        .prefetch_related(
            Prefetch(
                "cover_requests",
                queryset=CoverRequest.objects.filter(state__in=OPEN_COVER_STATES).select_related(
                    "stand_in"
                ),
                to_attr="open_covers",
            ),
            Prefetch("host__absences", queryset=recent),
            Prefetch("stand_in__absences", queryset=recent),
            Prefetch(
                "reschedules",
                queryset=VisitReschedule.objects.filter(state=RescheduleState.PROPOSED),
                to_attr="open_proposals",
            ),
        )
        .order_by("starts_at", "id")
    )


def visit_absences(visit: Visit) -> list[Absence]:
    """The absences of whoever should host (the stand-in if there is one, else the host)
    during the visit, from the prefetched absences."""
    zone = company_zone()
    first = timezone.localtime(visit.starts_at, zone).date()
    last = timezone.localtime(visit.ends_at, zone).date()
    person = visit.stand_in or visit.host
    return [a for a in person.absences.all() if a.starts_on <= last and a.ends_on >= first]


def cover_get_for_user(user: User, pk: int) -> CoverRequest:
    """A cover request of a visit the user sees, or one they are asked to answer."""
    cover = (
        CoverRequest.objects.filter(
            Q(visit__in=visit_base_qs_for_user(user)) | Q(stand_in=user) | Q(supervisor=user)
        )
        .filter(pk=pk)
        .select_related(
            "visit",
            "visit__customer",
            "visit__host",
            "visit__host__team",
            "stand_in",
            "supervisor",
            "host",
        )
        .first()
    )
    if cover is None:
        raise Http404
    return cover


def cover_list_for_user(user: User, *, open_only: bool = True) -> QuerySet[CoverRequest]:
    """Cover requests the user is part of: as host, supervisor, stand-in, or (admins) all."""
    qs = CoverRequest.objects.all()
    if not is_admin(user):
        qs = qs.filter(
            Q(host=user)
            | Q(supervisor=user)
            | Q(stand_in=user)
            | Q(visit__host__team__manager=user)
        )
    if open_only:
        qs = qs.filter(state__in=OPEN_COVER_STATES)
    return qs.select_related(
        "visit", "visit__customer", "host", "supervisor", "stand_in", "requested_by"
    ).order_by("-created", "-id")


def proposal_get_for_user(user: User, pk: int) -> VisitReschedule:
    proposal = (
        VisitReschedule.objects.filter(pk=pk, visit__in=visit_base_qs_for_user(user))
        .select_related("visit", "visit__customer", "visit__host", "visit__host__team", "by")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


@dataclass
class CoverTasks:
    to_answer: list[CoverRequest]  # I am asked to stand in
    to_arrange: list[CoverRequest]  # my team's host asked me for a stand-in


def cover_tasks_for_user(user: User) -> CoverTasks:
    """What My day shows about cover (two queries)."""
    related = ("visit", "visit__customer", "host", "stand_in")
    to_answer = list(
        CoverRequest.objects.filter(stand_in=user, state=CoverState.ASSIGNED)
        .select_related(*related)
        .order_by("visit__starts_at")[:20]
    )
    to_arrange = list(
        CoverRequest.objects.filter(supervisor=user, state=CoverState.REQUESTED)
        .select_related(*related)
        .order_by("visit__starts_at")[:20]
    )
    return CoverTasks(to_answer=to_answer, to_arrange=to_arrange)


@dataclass
class HandoverBrief:
    """What a stand-in needs to receive someone else's customer (SOP 5.2)."""

    visit: Visit
    customer: Customer
    cover: CoverRequest | None
    contacts: list[Contact]
    party: list[Visitor]
    legs: list[TravelLeg]
    open_requests: list[VisitRequest]
    past_visits: list[Visit]
    follow_ups: list[FollowUp]


HISTORY_ROWS = 5


def handover_brief(visit: Visit) -> HandoverBrief:
    customer = visit.customer
    return HandoverBrief(
        visit=visit,
        customer=customer,
        cover=visit.cover_requests.filter(state__in=OPEN_COVER_STATES)
        .select_related("host", "stand_in", "requested_by")
        .first(),
        contacts=list(customer.contacts.order_by("-is_primary", "name")),
        party=list(visit.visitors.select_related("contact")),
        legs=list(visit.legs.all()),
        open_requests=list(
            VisitRequest.objects.filter(customer=customer, state__in=OPEN_REQUEST_STATES)
            .select_related("owner", "visit")
            .order_by("due_date", "id")
        ),
        past_visits=list(
            customer.visits.exclude(pk=visit.pk)
            .filter(starts_at__lt=visit.starts_at)
            .exclude(status=VisitStatus.CANCELLED)
            .select_related("host")
            .order_by("-starts_at")[:HISTORY_ROWS]
        ),
        follow_ups=list(
            customer.follow_ups.filter(state=FollowUpState.DONE)
            .select_related("owner")
            .order_by("-done_at")[:HISTORY_ROWS]
        ),
    )
