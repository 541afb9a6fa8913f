"""Gifts from stock (SOP 5.1 送车: 纪念品需在来访人离开前亲自交到客人手中).

Stock never goes negative: every change is one conditional UPDATE on the item's row
(the database decides races; the CHECK constraint backs it), followed by a signed
StockMovement written in the same transaction."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.logistics.models import GiftIssue, GiftItem, StockMovement
from visitflow.logistics.services.tours import ensure_visit_open
from visitflow.visits.models import Visit


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        msg = _("The quantity must be at least 1.")
        raise ApplicationError(msg, field_errors={"quantity": [msg]})


def _stock_now(item: GiftItem) -> int:
    return GiftItem.objects.values_list("stock", flat=True).get(pk=item.pk)


@transaction.atomic
def gift_issue(*, actor: User, visit: Visit, item: GiftItem, quantity: int) -> GiftIssue:
    ensure_visit_open(visit)
    _check_quantity(quantity)
    if not item.is_active:
        msg = _("%(item)s is no longer given.") % {"item": item}
        raise ApplicationError(msg, field_errors={"item": [msg]})
    # One statement: two issues at once cannot both pass a check made before either writes.
    taken = GiftItem.objects.filter(pk=item.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken != 1:
        msg = _("Only %(stock)s of %(item)s left in stock; %(quantity)s asked for.") % {
            "stock": _stock_now(item),
            "item": item,
            "quantity": quantity,
        }
        raise ApplicationError(msg, field_errors={"quantity": [msg]})
    item.stock = _stock_now(item)
    issue = GiftIssue.objects.create(visit=visit, item=item, quantity=quantity, issued_by=actor)
    StockMovement.objects.create(
        item=item, change=-quantity, stock_after=item.stock, issue=issue, by=actor
    )
    log_activity(
        actor=actor,
        action="gift.issued",
        obj=issue,
        customer=visit.customer,
        changes={"quantity": ["", str(quantity)]},
    )
    return issue


@transaction.atomic
def gift_hand_over(*, actor: User, issue: GiftIssue) -> GiftIssue:
    """SOP 5.1 送车: handed over in person before the visitors leave."""
    done = GiftIssue.objects.filter(
        pk=issue.pk, returned=False, handed_over_at__isnull=True
    ).update(handed_over_at=timezone.now(), handed_over_by=actor)
    if done != 1:
        raise ApplicationError(_("These gifts were already handed over or returned."))
    issue.refresh_from_db()
    log_activity(actor=actor, action="gift.handed_over", obj=issue, customer=issue.visit.customer)
    return issue


@transaction.atomic
def gift_return(*, actor: User, issue: GiftIssue) -> GiftIssue:
    """Unused gifts go back to stock; what was handed over stays with the customer."""
    done = GiftIssue.objects.filter(
        pk=issue.pk, returned=False, handed_over_at__isnull=True
    ).update(returned=True)
    if done != 1:
        raise ApplicationError(_("These gifts were already handed over or returned."))
    GiftItem.objects.filter(pk=issue.item_id).update(stock=F("stock") + issue.quantity)
    issue.refresh_from_db()
    StockMovement.objects.create(
        item_id=issue.item_id,
        change=issue.quantity,
        stock_after=_stock_now(issue.item),
        issue=issue,
        note=_("Returned unused"),
        by=actor,
    )
    log_activity(actor=actor, action="gift.returned", obj=issue, customer=issue.visit.customer)
    return issue


@transaction.atomic
def stock_take(*, actor: User, item: GiftItem, quantity: int, note: str) -> StockMovement:
    """Gifts taken from stock for use outside a visit (a trade-show booth, SOP 5.3.2)."""
    _check_quantity(quantity)
    if not item.is_active:
        msg = _("%(item)s is no longer given.") % {"item": item}
        raise ApplicationError(msg, field_errors={"item": [msg]})
    taken = GiftItem.objects.filter(pk=item.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken != 1:
        msg = _("Only %(stock)s of %(item)s left in stock; %(quantity)s asked for.") % {
            "stock": _stock_now(item),
            "item": item,
            "quantity": quantity,
        }
        raise ApplicationError(msg, field_errors={"quantity": [msg]})
    item.stock = _stock_now(item)
    movement = StockMovement.objects.create(
        item=item, change=-quantity, stock_after=item.stock, note=note[:200], by=actor
    )
    log_activity(
        actor=actor,
        action="gift.stock_taken",
        obj=item,
        changes={"stock": [str(item.stock + quantity), str(item.stock)]},
    )
    return movement


@transaction.atomic
def stock_receive(*, actor: User, item: GiftItem, quantity: int, note: str = "") -> StockMovement:
    _check_quantity(quantity)
    GiftItem.objects.filter(pk=item.pk).update(stock=F("stock") + quantity)
    item.stock = _stock_now(item)
    movement = StockMovement.objects.create(
        item=item, change=quantity, stock_after=item.stock, note=note[:200], by=actor
    )
    log_activity(
        actor=actor,
        action="gift.stock_received",
        obj=item,
        changes={"stock": [str(item.stock - quantity), str(item.stock)]},
    )
    return movement
