"""A customer's visit to the company (SOP 5.1) and the ten steps that carry it."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel
from visitflow.core.validators import format_phone, validate_phone
from visitflow.customers.models import Gender


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("Arrived")
    DEPARTED = "departed", _("Departed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Importance(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    CRITICAL = "critical", _("Critical")


class Purpose(models.TextChoices):
    INSPECTION = "inspection", _("Inspection visit")
    NEGOTIATION = "negotiation", _("Business talks")
    FACTORY_AUDIT = "factory_audit", _("Factory audit")
    TECHNICAL = "technical", _("Technical exchange")
    SIGNING = "signing", _("Contract signing")
    OTHER = "other", pgettext_lazy("visit purpose", "Other")


class VisitOutcome(models.TextChoices):
    """What came of the visit commercially: deals counted for conversion (issues 7, 9)."""

    NOT_RECORDED = "", _("Not recorded")
    DEAL = "deal", _("Deal")
    NEGOTIATING = "negotiating", _("Still negotiating")
    NO_DEAL = "no_deal", _("No deal")


class Visit(BaseModel):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_visits",
    )
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-hosts"),
        blank=True,
        related_name="co_hosted_visits",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.DRAFT
    )
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    purpose_notes = models.CharField(_("purpose in detail"), max_length=500, blank=True)
    importance = models.CharField(
        _("importance"), max_length=20, choices=Importance.choices, default=Importance.NORMAL
    )
    starts_at = models.DateTimeField(_("expected arrival"))
    ends_at = models.DateTimeField(_("expected departure"))
    wants_pickup = models.BooleanField(_("company picks them up"), default=False)
    wants_dropoff = models.BooleanField(_("company takes them back"), default=False)
    wants_lodging = models.BooleanField(_("company arranges lodging"), default=False)
    party_size = models.PositiveSmallIntegerField(_("party size"), default=0)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # SOP 5.2: the colleague who accepted to host while the host is away. Kept in step
    # by services_cover (set on acceptance, cleared when the cover ends), so "who acts as
    # host" is a column, not a join over cover requests, for lists and reminders.
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stand-in host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stood_in_visits",
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=VisitOutcome.choices, blank=True, default=""
    )
    deal_amount = models.DecimalField(
        _("deal amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    outcome_note = models.CharField(_("note on the outcome"), max_length=500, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_ends_after_start",
                violation_error_message=_("The departure must be after the arrival."),
            ),
            # A deal has a positive amount; any other outcome has none.
            models.CheckConstraint(
                condition=models.Q(outcome="deal", deal_amount__gt=0)
                | (~models.Q(outcome="deal") & models.Q(deal_amount__isnull=True)),
                name="visit_deal_has_amount",
                violation_error_message=_("A deal needs an amount above zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="visit_starts_idx"),
            models.Index(fields=["outcome", "starts_at"], name="visit_outcome_idx"),
            models.Index(fields=["host", "starts_at"], name="visit_host_idx"),
            models.Index(fields=["customer", "starts_at"], name="visit_customer_idx"),
            models.Index(fields=["status", "starts_at"], name="visit_status_idx"),
            models.Index(fields=["stand_in", "starts_at"], name="visit_stand_in_idx"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.customer} · {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("visits:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (VisitStatus.CLOSED, VisitStatus.CANCELLED)

    @property
    def acting_host(self) -> Any:
        """Who hosts now (SOP 5.2): the accepted stand-in while the visit is open, else the
        host. Reminders meant for the host go here; select_related("host", "stand_in")
        makes it free in bulk."""
        if self.stand_in_id is not None and self.is_open:
            return self.stand_in
        return self.host

    def purpose_labels(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels.get(code, code)) for code in self.purposes]


class Visitor(BaseModel):
    """One person of the visiting party: what the escort needs to find them."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="visitors"
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_made",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=Gender.UNKNOWN
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    mobile = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    features = models.CharField(_("how to recognise them"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_display(self) -> str:
        return format_phone(self.mobile)


class LegDirection(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class TravelMode(models.TextChoices):
    FLIGHT = "flight", _("Flight")
    TRAIN = "train", _("Train")
    COACH = "coach", _("Coach")
    CAR = "car", _("Own car")


class TravelLeg(BaseModel):
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="legs"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=LegDirection.choices)
    mode = models.CharField(_("travel mode"), max_length=10, choices=TravelMode.choices)
    number = models.CharField(_("flight / train number"), max_length=20, blank=True)
    from_place = models.CharField(_("from"), max_length=100, blank=True)
    to_place = models.CharField(_("to (airport / station)"), max_length=100, blank=True)
    departs_at = models.DateTimeField(_("scheduled departure"), null=True, blank=True)
    arrives_at = models.DateTimeField(_("scheduled arrival"))
    actual_arrival = models.DateTimeField(_("actual arrival"), null=True, blank=True)

    class Meta:
        verbose_name = _("travel leg")
        verbose_name_plural = _("travel legs")
        ordering = ["arrives_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departs_at__isnull=True)
                | models.Q(arrives_at__gt=models.F("departs_at")),
                name="leg_arrives_after_departure",
                violation_error_message=_("The arrival must be after the departure."),
            ),
        ]
        indexes = [models.Index(fields=["visit", "direction"], name="leg_visit_idx")]

    def __str__(self) -> str:
        label = self.number or self.get_mode_display()
        return f"{label} {self.from_place}→{self.to_place}".strip()

    @property
    def expected_arrival(self) -> datetime:
        return self.actual_arrival or self.arrives_at


class RescheduleState(models.TextChoices):
    APPLIED = "applied", _("Moved")
    PROPOSED = "proposed", _("Proposed to the customer")
    DECLINED = "declined", _("Declined by the customer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VisitReschedule(models.Model):
    """Moving a visit's dates is kept: who moved it, from when to when, and why.

    SOP 5.2 协商更改到访时间: a move can first be proposed to the customer; it is applied
    (the visit moves) once they agree, or closed as declined or withdrawn."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="reschedules"
    )
    created = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    old_starts_at = models.DateTimeField(_("old arrival"))
    old_ends_at = models.DateTimeField(_("old departure"))
    new_starts_at = models.DateTimeField(_("new arrival"))
    new_ends_at = models.DateTimeField(_("new departure"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=RescheduleState.choices, default=RescheduleState.APPLIED
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reschedule")
        verbose_name_plural = _("reschedules")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(state="proposed"),
                name="reschedule_one_proposal_per_visit",
                violation_error_message=_("This visit already has new dates proposed."),
            ),
            models.CheckConstraint(
                condition=models.Q(new_ends_at__gt=models.F("new_starts_at")),
                name="reschedule_ends_after_start",
                violation_error_message=_("The departure must be after the arrival."),
            ),
        ]
        indexes = [models.Index(fields=["visit", "state"], name="reschedule_visit_state_idx")]

    def __str__(self) -> str:
        from django.utils import timezone

        old = timezone.localtime(self.old_starts_at)
        new = timezone.localtime(self.new_starts_at)
        return f"{old:%Y-%m-%d %H:%M} → {new:%Y-%m-%d %H:%M}"


class CoverState(models.TextChoices):
    REQUESTED = "requested", _("Cover asked for")
    ASSIGNED = "assigned", _("Stand-in chosen")
    ACCEPTED = "accepted", _("Covered")
    CANCELLED = "cancelled", _("Withdrawn")


OPEN_COVER_STATES = (CoverState.REQUESTED, CoverState.ASSIGNED, CoverState.ACCEPTED)


class CoverRequest(BaseModel):
    """SOP 5.2 请求上级协助接待安排: the host, away during the visit, asks their supervisor
    for a stand-in; the supervisor chooses one (or takes it on) and the stand-in accepts."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="cover_requests"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cover_requests_to_arrange",
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stand-in host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cover_requests_to_answer",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CoverState.choices, default=CoverState.REQUESTED
    )
    note = models.CharField(_("message to the supervisor"), max_length=500, blank=True)
    answer_note = models.CharField(_("answer"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("chosen at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cover request")
        verbose_name_plural = _("cover requests")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(state__in=["requested", "assigned", "accepted"]),
                name="cover_one_open_per_visit",
                violation_error_message=_("This visit already has a cover request."),
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["requested", "cancelled"])
                | models.Q(stand_in__isnull=False),
                name="cover_assigned_has_stand_in",
                violation_error_message=_("Choose the stand-in host."),
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "state"], name="cover_supervisor_idx"),
            models.Index(fields=["stand_in", "state"], name="cover_stand_in_idx"),
            models.Index(fields=["visit", "state"], name="cover_visit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_COVER_STATES


# --- The playbook: the steps of SOP 5.1 as data an administrator edits -----------------


class StepAnchor(models.TextChoices):
    """What a step's due time is counted from."""

    VISIT_CREATED = "visit_created", _("When the visit is registered")
    ARRIVAL = "arrival", _("Arrival (inbound leg, else the visit start)")
    DEPARTURE = "departure", _("Departure (outbound leg, else the visit end)")
    HOME = "home", _("Visitor home (outbound arrival, else the day after departure)")


class StepCondition(models.TextChoices):
    """When a step applies to a visit at all."""

    ALWAYS = "always", _("Always")
    PICKUP = "pickup", _("Only when the company picks them up")
    DROPOFF = "dropoff", _("Only when the company takes them back")
    LODGING = "lodging", _("Only when the company arranges lodging")


class StepOwnerRule(models.TextChoices):
    HOST = "host", _("The host")
    HOST_MANAGER = "host_manager", _("The host's manager")


class PlaybookStep(BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    guidance = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    anchor = models.CharField(_("due time counted from"), max_length=20, choices=StepAnchor.choices)
    offset_minutes = models.IntegerField(
        _("offset (minutes)"),
        default=0,
        help_text=_("Negative: before the anchor. -2880 is two days before."),
    )
    condition = models.CharField(
        _("applies"), max_length=20, choices=StepCondition.choices, default=StepCondition.ALWAYS
    )
    owner_rule = models.CharField(
        _("owner"), max_length=20, choices=StepOwnerRule.choices, default=StepOwnerRule.HOST
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return (
            self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name
        )


class PlaybookItem(BaseModel):
    step = models.ForeignKey(
        PlaybookStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    condition = models.CharField(
        _("applies"), max_length=20, choices=StepCondition.choices, default=StepCondition.ALWAYS
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class StepState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    NOT_NEEDED = "not_needed", _("Not needed")


class VisitStep(BaseModel):
    """One step of one visit: copied from the playbook when the visit is registered."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="steps"
    )
    playbook_step = models.ForeignKey(
        PlaybookStep, verbose_name=_("playbook step"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    state = models.CharField(
        _("state"), max_length=20, choices=StepState.choices, default=StepState.PENDING
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="visit_steps",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skip_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("visit step")
        verbose_name_plural = _("visit steps")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "playbook_step"], name="visit_step_unique"),
            models.CheckConstraint(
                condition=~models.Q(state="skipped") | ~models.Q(skip_reason=""),
                name="visit_step_skip_has_reason",
                violation_error_message=_("A skipped step needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state", "due_at"], name="visit_step_owner_due_idx"),
            models.Index(fields=["state", "due_at"], name="visit_step_due_idx"),
            # The dashboard and the quality report count a period's steps by state and
            # times: read from the index alone, not from the table (issue 9).
            models.Index(
                fields=["visit", "playbook_step", "state", "due_at", "done_at"],
                name="visit_step_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return str(self.playbook_step)


class VisitStepItem(BaseModel):
    step = models.ForeignKey(
        VisitStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.localized_text

    @property
    def localized_text(self) -> str:
        return (
            self.text_en if (get_language() or "").startswith("en") and self.text_en else self.text
        )


# --- During and after the visit ---------------------------------------------------------


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REQUEST_STATES = (RequestState.OPEN, RequestState.IN_PROGRESS)


class VisitRequest(BaseModel):
    """到访事项: something the customer asked for during the visit, followed until closed."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="requests"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="visit_requests",
    )
    title = models.CharField(_("request"), max_length=200)
    details = models.TextField(_("details"), max_length=3000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="visit_requests",
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.CharField(_("outcome"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "state", "due_date"], name="request_owner_idx"),
            models.Index(fields=["customer", "state"], name="request_customer_idx"),
            models.Index(fields=["state", "due_date"], name="request_state_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ReturnCall(BaseModel):
    """电话回访: the call once the visitor is home, and what they said (SOP 5.1)."""

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="return_call"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="return_calls",
    )
    made_at = models.DateTimeField(_("called at"))
    reached = models.BooleanField(_("reached the customer"), default=True)
    product_rating = models.PositiveSmallIntegerField(_("products (1-5)"), null=True, blank=True)
    product_feedback = models.TextField(_("feedback on the products"), max_length=3000, blank=True)
    image_rating = models.PositiveSmallIntegerField(_("company image (1-5)"), null=True, blank=True)
    image_feedback = models.TextField(
        _("feedback on the company's image"), max_length=3000, blank=True
    )
    suggestions = models.TextField(_("suggestions"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("return call")
        verbose_name_plural = _("return calls")
        ordering = ["-made_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product_rating__isnull=True)
                | models.Q(product_rating__gte=1, product_rating__lte=5),
                name="return_call_product_rating_range",
            ),
            models.CheckConstraint(
                condition=models.Q(image_rating__isnull=True)
                | models.Q(image_rating__gte=1, image_rating__lte=5),
                name="return_call_image_rating_range",
            ),
        ]
        indexes = [models.Index(fields=["-made_at"], name="return_call_made_idx")]

    def __str__(self) -> str:
        return f"{self.visit} · {self.made_at:%Y-%m-%d}"


class FollowUpCadence(BaseModel):
    """后期跟进: how many days between follow-ups, per customer level."""

    level = models.OneToOneField(
        "customers.CustomerLevel",
        verbose_name=_("customer level"),
        on_delete=models.CASCADE,
        related_name="follow_up_cadence",
    )
    days = models.PositiveSmallIntegerField(_("days between follow-ups"))

    class Meta:
        verbose_name = _("follow-up cadence")
        verbose_name_plural = _("follow-up cadences")
        ordering = ["level__rank"]

    def __str__(self) -> str:
        return f"{self.level}: {self.days}"


class FollowUpChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")


class FollowUpState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(BaseModel):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=20, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=FollowUpChannel.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "state", "due_date"], name="follow_up_owner_idx"),
            models.Index(fields=["customer", "state"], name="follow_up_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.due_date}"
