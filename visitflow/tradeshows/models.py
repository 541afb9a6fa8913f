"""Trade-show reception (SOP 5.3): the show, its booth team, staff posts and shifts."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visitflow.core.models import BaseModel


class TradeShow(BaseModel):
    """展会: one exhibition the company takes a booth at."""

    name = models.CharField(_("name"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=50)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    booth_number = models.CharField(_("booth number"), max_length=50)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_trade_shows",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booth team"),
        related_name="trade_shows",
        blank=True,
    )

    class Meta:
        verbose_name = _("trade show")
        verbose_name_plural = _("trade shows")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="tradeshow_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["-starts_on"], name="tradeshow_starts_idx"),
            models.Index(fields=["city", "-starts_on"], name="tradeshow_city_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> list[date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=n) for n in range(count)]


class StaffPost(BaseModel):
    """A place at the booth where someone stands (SOP 5.3.3 指定位置), e.g. reception desk."""

    show = models.ForeignKey(
        TradeShow, verbose_name=_("trade show"), on_delete=models.CASCADE, related_name="posts"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        ordering = ["show", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["show", "name"], name="staffpost_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffShift(BaseModel):
    """One person on one post during part of one show day."""

    post = models.ForeignKey(
        StaffPost, verbose_name=_("post"), on_delete=models.CASCADE, related_name="shifts"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="booth_shifts",
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["day", "starts_at", "post"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="staffshift_ends_after_start"
            ),
        ]
        indexes = [
            # "Is this person already somewhere at that time?" reads by person and day.
            models.Index(fields=["person", "day"], name="staffshift_person_day_idx"),
            models.Index(fields=["post", "day"], name="staffshift_post_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post} · {self.day:%Y-%m-%d}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Will come")
    DECLINED = "declined", _("Declined")
    CAME = "came", _("Came to the booth")


class Invitation(BaseModel):
    """邀请函 (SOP 5.3.1): one customer contact invited to one show by their salesperson.

    `token` is the secret in the invitee's personal link (32 random bytes, URL-safe);
    `code` is the short code printed under the QR code and typed at the booth."""

    show = models.ForeignKey(
        TradeShow,
        verbose_name=_("trade show"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="trade_show_invitations",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="trade_show_invitations",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        related_name="trade_show_invitations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    code = models.CharField(_("check-in code"), max_length=12, unique=True)
    token = models.CharField(_("link token"), max_length=64, unique=True)
    link_expires_at = models.DateTimeField(_("link expires"))
    link_revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    letter_sent_at = models.DateTimeField(_("letter e-mailed"), null=True, blank=True)
    # The invitee's answer on the personal page (SOP 5.3.1 诚邀客户参展).
    rsvp_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rsvp_day = models.DateField(_("day of the visit"), null=True, blank=True)
    rsvp_party_size = models.PositiveSmallIntegerField(_("number of people"), null=True, blank=True)
    rsvp_names = models.CharField(_("names of the people coming"), max_length=500, blank=True)
    # SOP 5.3.1 电话沟通确认: when the confirmation call is (next) due.
    call_due_at = models.DateTimeField(_("call due"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["show", "customer__name", "contact__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "contact"], name="invitation_one_per_contact_and_show"
            ),
            models.CheckConstraint(
                condition=Q(rsvp_party_size__isnull=True) | Q(rsvp_party_size__gte=1),
                name="invitation_party_size_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["show", "owner", "status"], name="invitation_owner_idx"),
            models.Index(fields=["show", "status"], name="invitation_status_idx"),
            models.Index(fields=["call_due_at"], name="invitation_call_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.show}"


class CallOutcome(models.TextChoices):
    NOT_REACHED = "not_reached", _("Not reached")
    REACHED = "reached", _("Reached")
    LETTER_RECEIVED = "letter_received", _("Letter received")
    WILL_COME = "will_come", _("Will come")
    DECLINED = "declined", _("Declined")
    CALL_AGAIN = "call_again", _("Call again at…")


class InvitationCall(BaseModel):
    """One confirmation call to an invitee (SOP 5.3.1) and what came of it."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="calls"
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    call_again_at = models.DateTimeField(_("call again at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invitation call")
        verbose_name_plural = _("invitation calls")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="call_again") | Q(call_again_at__isnull=False),
                name="invitationcall_again_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_outcome_display()}"


class ChecklistCategory(models.TextChoices):
    """The four groups of SOP 5.3.2."""

    DISPLAY = "display", _("Displays and posters")
    OFFICE = "office", _("Office supplies")
    TAKEAWAY = "takeaway", _("Materials for visitors")
    HOSPITALITY = "hospitality", _("Hospitality")


class ChecklistTemplateItem(BaseModel):
    """One line of the booth standard (《SI标准》, SOP 5.3.2); admins edit the list, and a
    show's checklist starts as a copy of it."""

    category = models.CharField(_("group"), max_length=20, choices=ChecklistCategory.choices)
    name = models.CharField(_("item (Chinese)"), max_length=100)
    name_en = models.CharField(_("item (English)"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("default quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_gift = models.BooleanField(
        _("drawn from gift stock"),
        default=False,
        help_text=_("Gifts are taken from the logistics gift stock when packed."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("booth standard item")
        verbose_name_plural = _("booth standard (checklist template)")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="checklist_template_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistState(models.TextChoices):
    TO_PACK = "to_pack", _("To pack")
    PACKED = "packed", _("Packed")
    SET_UP = "set_up", _("Set up")
    RETURNED = "returned", _("Returned")


class BoothChecklistItem(BaseModel):
    """One line of a show's booth checklist: how many, who packs it, where it is."""

    show = models.ForeignKey(
        TradeShow,
        verbose_name=_("trade show"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    category = models.CharField(_("group"), max_length=20, choices=ChecklistCategory.choices)
    name = models.CharField(_("item (Chinese)"), max_length=100)
    name_en = models.CharField(_("item (English)"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    packer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("packed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ChecklistState.choices, default=ChecklistState.TO_PACK
    )
    gift_item = models.ForeignKey(
        "logistics.GiftItem",
        verbose_name=_("gift from stock"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_quantity = models.PositiveIntegerField(_("returned to stock"), default=0)

    class Meta:
        verbose_name = _("booth checklist item")
        verbose_name_plural = _("booth checklist")
        ordering = ["show", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["show", "name"], name="boothchecklist_unique_name"),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity")),
                name="boothchecklist_returned_within_quantity",
            ),
        ]
        indexes = [models.Index(fields=["show", "state"], name="boothchecklist_state_idx")]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    A = "A", _("A — hot: wants a quote or a visit")
    B = "B", _("B — interested")
    C = "C", _("C — just looking")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    CALLED = "called", _("Called")
    CONVERTED = "converted", _("Converted")
    MERGED = "merged", _("Merged into another lead")


class Lead(BaseModel):
    """名片 (SOP 5.3.3 与客人交换名片): a person met at the booth, as read from their card
    or typed in; linked to the customer or contact it matches, never a duplicate of it."""

    show = models.ForeignKey(
        TradeShow, verbose_name=_("trade show"), on_delete=models.CASCADE, related_name="leads"
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("matching customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trade_show_leads",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("matching contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trade_show_leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trade_show_leads",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    interest = models.CharField(_("interest (products)"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    # SOP 5.3.5 主动电话联系跟进: when the follow-up call is due and what came of it.
    call_due_at = models.DateTimeField(_("call due"), null=True, blank=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    call_outcome = models.CharField(_("call outcome"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["show", "owner", "status"], name="lead_owner_idx"),
            models.Index(fields=["show", "status", "-created"], name="lead_status_idx"),
            models.Index(fields=["mobile"], name="lead_mobile_idx"),
            models.Index(fields=["email"], name="lead_email_idx"),
            models.Index(fields=["call_due_at"], name="lead_call_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.company}" if self.company else self.name


class BoothVisitState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ATTENDED = "attended", _("Attended")
    LEFT = "left", _("Seen off")


class BoothVisit(BaseModel):
    """Someone at the booth now or earlier (SOP 5.3.3-5.3.4): an invitee checked in or a
    new visitor captured as a lead; who attends them, and how they were seen off."""

    show = models.ForeignKey(
        TradeShow,
        verbose_name=_("trade show"),
        on_delete=models.CASCADE,
        related_name="booth_visits",
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booth_visits",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booth_visits",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booth_visits",
    )
    visitor_name = models.CharField(_("visitor"), max_length=200)
    # SOP 5.3.4 如老客户到访…先向老客户打招呼: an existing customer is greeted first.
    greet_first = models.BooleanField(_("greet first (existing customer)"), default=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=BoothVisitState.choices,
        default=BoothVisitState.WAITING,
    )
    arrived_at = models.DateTimeField(_("arrived"))
    attended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attended_at = models.DateTimeField(_("attended since"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    interest = models.CharField(_("interest (products)"), max_length=300, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    brochures_given = models.CharField(_("brochures given"), max_length=300, blank=True)
    gift_item = models.ForeignKey(
        "logistics.GiftItem",
        verbose_name=_("gift given"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    gift_quantity = models.PositiveSmallIntegerField(_("gifts given"), default=0)
    invited_to_company = models.BooleanField(_("invited to visit the company"), default=False)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("company visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("booth visit")
        verbose_name_plural = _("booth visits")
        ordering = ["-greet_first", "arrived_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(invitation__isnull=False) | Q(lead__isnull=False),
                name="boothvisit_invitee_or_lead",
            ),
            models.CheckConstraint(
                condition=~Q(state="attended") | Q(attended_by__isnull=False),
                name="boothvisit_attended_has_staff",
            ),
        ]
        indexes = [
            models.Index(fields=["show", "state", "arrived_at"], name="boothvisit_board_idx"),
        ]

    def __str__(self) -> str:
        return self.visitor_name
