"""Trade-show reception (SOP 5.3): the show, its booth team, staff posts and shifts."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
