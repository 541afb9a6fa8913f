"""What is booked or handed over for a visit (SOP 5.1 steps 2, 3, 5, 6, 8): company cars,
rooms, people's time, pickups and see-offs, leader meetings and gifts."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel
from visitflow.logistics.validators import validate_plate

# --- Resources, kept by reception --------------------------------------------------------


class Vehicle(BaseModel):
    plate = models.CharField(_("plate"), max_length=12, unique=True, validators=[validate_plate])
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("seats"), help_text=_("All seats, the driver's included.")
    )
    default_driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default driver"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_vehicles",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=2), name="vehicle_seats_min")
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.model_name}".strip()


class RoomKind(models.TextChoices):
    SHOWROOM = "showroom", _("Showroom")
    RECEPTION = "reception", _("Reception room")
    MEETING = "meeting", _("Meeting room")
    OFFICE = "office", _("Office")


class Room(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10)
    # SOP 5.1 公司参观: 一般不带客户到办公室参观.
    tour_allowed = models.BooleanField(_("may be used for the company tour"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="office") | models.Q(tour_allowed=False),
                name="room_office_not_toured",
                violation_error_message=_("Offices are not shown to visitors (SOP 5.1)."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class StationKind(models.TextChoices):
    AIRPORT = "airport", _("Airport")
    RAILWAY = "railway", _("Railway station")
    COACH = "coach", _("Coach station")
    OTHER = "other", _("Other")


class Station(BaseModel):
    """An airport or station visitors arrive at, and how to come without a company car."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=StationKind.choices)
    travel_minutes = models.PositiveSmallIntegerField(_("travel time to the company (minutes)"))
    no_car_advice = models.TextField(
        _("advice when no car is free (Chinese)"),
        blank=True,
        help_text=_("SOP 5.1 接车安排: e.g. airport express line, metro line, taxi."),
    )
    no_car_advice_en = models.TextField(_("advice when no car is free (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("station or airport")
        verbose_name_plural = _("stations and airports")
        ordering = ["name"]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class GiftItem(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    unit_value = models.DecimalField(_("unit value (CNY)"), max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("gift item")
        verbose_name_plural = _("gift items")
        ordering = ["name"]
        constraints = [
            # The database itself refuses negative stock, whatever races happen.
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="gift_stock_not_negative")
        ]

    def __str__(self) -> str:
        return self.name


# --- Bookings: one resource over a time range, never twice ----------------------------


class ResourceKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    ROOM = "room", _("Room")
    PERSON = "person", _("Person")


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class BookingPurpose(models.TextChoices):
    PICKUP = "pickup", _("Pickup")
    SEE_OFF = "see_off", _("See-off")
    TOUR = "tour", _("Company tour")
    LEADER_MEETING = "leader_meeting", _("Leader meeting")
    ESCORT = "escort", _("Escort")
    DRIVER = "driver", _("Driver")
    OTHER = "other", _("Other booking")


class Booking(BaseModel):
    """Holds one resource: a vehicle, a room or a person's time. Two active bookings of
    the same resource never overlap: PostgreSQL enforces it with exclusion constraints
    (migration 0002); on SQLite the service checks inside an IMMEDIATE transaction."""

    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=BookingPurpose.choices, default=BookingPurpose.OTHER
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
    )
    transfer = models.ForeignKey(
        "logistics.Transfer",
        verbose_name=_("transfer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
    )
    leader_meeting = models.ForeignKey(
        "logistics.LeaderMeeting",
        verbose_name=_("leader meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("A booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(vehicle__isnull=False, room__isnull=True, person__isnull=True)
                    | models.Q(vehicle__isnull=True, room__isnull=False, person__isnull=True)
                    | models.Q(vehicle__isnull=True, room__isnull=True, person__isnull=False)
                ),
                name="booking_one_resource",
                violation_error_message=_("A booking holds exactly one vehicle, room or person."),
            ),
        ]
        indexes = [
            models.Index(fields=["vehicle", "status", "starts_at"], name="booking_vehicle_idx"),
            models.Index(fields=["room", "status", "starts_at"], name="booking_room_idx"),
            models.Index(fields=["person", "status", "starts_at"], name="booking_person_idx"),
            models.Index(fields=["status", "starts_at"], name="booking_day_idx"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.resource} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def resource(self) -> object:
        return self.vehicle or self.room or self.person

    @property
    def resource_kind(self) -> str:
        if self.vehicle_id:
            return ResourceKind.VEHICLE
        if self.room_id:
            return ResourceKind.ROOM
        return ResourceKind.PERSON


# --- Transfers: pickups and see-offs (接车/送车) -------------------------------------------


class TransferKind(models.TextChoices):
    PICKUP = "pickup", _("Pickup")
    SEE_OFF = "see_off", _("See-off")


class TransferState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CUSTOMER_TOLD = "customer_told", _("Customer told")
    ON_THE_WAY = "on_the_way", _("On the way")
    MET = "met", _("Met")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(BaseModel):
    visit = models.ForeignKey(
        "visits.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="transfers"
    )
    leg = models.ForeignKey(
        "visits.TravelLeg",
        verbose_name=_("travel leg"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=TransferState.choices, default=TransferState.PLANNED
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station or airport"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    no_car = models.BooleanField(_("no company car"), default=False)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("driver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="driven_transfers",
    )
    escort = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escort"),
        on_delete=models.PROTECT,
        related_name="escorted_transfers",
    )
    escort_reason = models.CharField(
        _("why someone other than the host escorts"), max_length=300, blank=True
    )
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    leaves_at = models.DateTimeField(_("leaves the company at"))
    back_at = models.DateTimeField(_("back at the company at"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["leaves_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["leg", "kind"],
                condition=~models.Q(state="cancelled"),
                name="transfer_one_per_leg",
            ),
            models.CheckConstraint(
                condition=models.Q(back_at__gt=models.F("leaves_at")),
                name="transfer_back_after_leaving",
            ),
            models.CheckConstraint(
                condition=~(models.Q(no_car=True) & models.Q(vehicle__isnull=False)),
                name="transfer_no_car_has_no_vehicle",
            ),
        ]
        indexes = [
            models.Index(fields=["leaves_at"], name="transfer_day_idx"),
            models.Index(fields=["escort", "leaves_at"], name="transfer_escort_idx"),
            models.Index(fields=["driver", "leaves_at"], name="transfer_driver_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.leg}"


class MessageChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")


class CustomerMessage(BaseModel):
    """What the customer was told, by whom, how and when (SOP 5.1: 告之客户…)."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="customer_messages",
    )
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    text = models.TextField(_("text"), max_length=2000)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("customer message")
        verbose_name_plural = _("customer messages")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.text[:50]


class MessageTemplate(BaseModel):
    """Editable wording of what the customer is told; placeholders in {braces}."""

    code = models.SlugField(_("code"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"), max_length=2000)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code", "language"]
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="message_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.language})"


# --- Leader meetings (领导接见) -------------------------------------------------------------


class LeaderLevel(models.TextChoices):
    NONE = "none", _("No leader")
    DIRECTOR = "director", _("A director")
    GENERAL_MANAGER = "general_manager", _("The general manager")


class LeaderRule(BaseModel):
    """Customer level by visit importance: which leader should meet them (admin-edited)."""

    level = models.ForeignKey(
        "customers.CustomerLevel",
        verbose_name=_("customer level"),
        on_delete=models.CASCADE,
        related_name="leader_rules",
    )
    importance = models.CharField(_("importance"), max_length=20)
    leader = models.CharField(_("leader"), max_length=20, choices=LeaderLevel.choices)

    class Meta:
        verbose_name = _("leader rule")
        verbose_name_plural = _("leader rules")
        ordering = ["level__rank", "importance"]
        constraints = [
            models.UniqueConstraint(fields=["level", "importance"], name="leader_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.importance} → {self.get_leader_display()}"


class MeetingState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    OTHER_TIME = "other_time", _("Another time proposed")
    CANCELLED = "cancelled", _("Cancelled")


class LeaderMeeting(BaseModel):
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="leader_meetings",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="leader_meetings",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leader_meetings",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.REQUESTED
    )
    proposed_starts_at = models.DateTimeField(_("proposed time"), null=True, blank=True)
    answer_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leader meeting")
        verbose_name_plural = _("leader meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="leader_meeting_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["leader", "state", "starts_at"], name="meeting_leader_idx")]

    def __str__(self) -> str:
        return f"{self.leader} · {self.visit}"


# --- Gifts (纪念品) ---------------------------------------------------------------------------


class GiftIssue(BaseModel):
    """Gifts taken from stock for a visit; handed over personally before they leave."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="gift_issues",
    )
    item = models.ForeignKey(
        GiftItem, verbose_name=_("gift"), on_delete=models.PROTECT, related_name="issues"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned = models.BooleanField(_("returned to stock"), default=False)

    class Meta:
        verbose_name = _("gift issue")
        verbose_name_plural = _("gift issues")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="gift_issue_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.item} x {self.quantity}"


class StockMovement(models.Model):
    """Every change of a gift's stock, signed: positive received, negative issued."""

    item = models.ForeignKey(
        GiftItem, verbose_name=_("gift"), on_delete=models.CASCADE, related_name="movements"
    )
    created = models.DateTimeField(_("time"), auto_now_add=True)
    change = models.IntegerField(_("change"))
    stock_after = models.PositiveIntegerField(_("stock after"))
    issue = models.ForeignKey(
        GiftIssue,
        verbose_name=_("gift issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movements",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["item", "-created"], name="stock_movement_item_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.change:+d}"
