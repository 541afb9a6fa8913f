from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visitflow.core.models import BaseModel
from visitflow.core.validators import format_phone, validate_phone


class CustomerLevel(BaseModel):
    """客户级别: configurable and ordered (VIP first); drives leader meetings and spend later."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Smaller comes first: VIP before A.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("customer level")
        verbose_name_plural = _("customer levels")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class CustomerSource(models.TextChoices):
    TRADE_SHOW = "trade_show", _("Trade show")
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Website")
    INBOUND_CALL = "inbound_call", _("Inbound call")
    COLD_CALL = "cold_call", _("Cold call")
    EXISTING = "existing", _("Existing relationship")
    IMPORT = "import", _("Imported from a file")
    OTHER = "other", pgettext_lazy("customer source", "Other")


class Customer(BaseModel):
    name = models.CharField(_("company name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.ForeignKey(
        CustomerLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="customers"
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.CharField(_("province / region"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=CustomerSource.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-updated", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customer_name_unique_ci",
                violation_error_message=_("A customer with this name already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(archived_at__isnull=False),
                name="customer_archived_has_date",
            ),
        ]
        # Each list filter and sort has an index that starts with it; the default order
        # (-updated) is served by an index too, so the first page never sorts the table.
        # PostgreSQL also gets trigram indexes for the search (migration 0003).
        indexes = [
            # is_active last: the page counts are answered from the index alone.
            models.Index(fields=["-updated", "-id", "is_active"], name="customer_updated_idx"),
            models.Index(fields=["owner", "-updated", "is_active"], name="customer_owner_idx"),
            models.Index(fields=["level", "-updated", "is_active"], name="customer_level_idx"),
            models.Index(fields=["city", "-updated", "is_active"], name="customer_city_idx"),
            models.Index(fields=["name"], name="customer_name_idx"),
            models.Index(fields=["short_name"], name="customer_short_name_idx"),
            models.Index(
                fields=["-updated"],
                condition=models.Q(is_active=False),
                name="customer_archived_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_contact(self) -> "Contact | None":
        """The primary contact; lists prefetch it into `primary_contacts`."""
        contacts = getattr(self, "primary_contacts", None)
        if contacts is None:
            contacts = list(self.contacts.filter(is_primary=True)[:1])
        return contacts[0] if contacts else None


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "", _("Not given")


class Contact(BaseModel):
    """A person at a customer; later the visitors of a visit link to these."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=Gender.UNKNOWN
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    mobile = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_phone], db_index=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    features = models.CharField(
        _("how to recognise them"),
        max_length=300,
        blank=True,
        help_text=_("What the escort looks for at the airport: height, glasses, clothes…"),
    )
    diet = models.CharField(_("diet"), max_length=200, blank=True)
    drinking = models.CharField(_("drinking"), max_length=200, blank=True)
    other_preferences = models.CharField(_("other preferences"), max_length=500, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(is_primary=True),
                name="contact_one_primary_per_customer",
                violation_error_message=_("A customer has only one primary contact."),
            )
        ]
        indexes = [models.Index(fields=["name"], name="contact_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_display(self) -> str:
        return format_phone(self.mobile)
