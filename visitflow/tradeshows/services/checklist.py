"""The booth checklist (SOP 5.3.2): copied from the booth standard, packed → set up →
returned; gift lines draw on the logistics gift stock when packed and give back what
was not handed out when returned."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot
from visitflow.logistics.models import GiftItem
from visitflow.logistics.services.gifts import stock_receive, stock_take
from visitflow.tradeshows.models import (
    BoothChecklistItem,
    ChecklistState,
    ChecklistTemplateItem,
    TradeShow,
)

CS = ChecklistState
NEXT_STATE: dict[str, str] = {
    CS.TO_PACK: CS.PACKED,
    CS.PACKED: CS.SET_UP,
    CS.SET_UP: CS.RETURNED,
}
ITEM_FIELDS = ["category", "name", "name_en", "quantity", "unit", "packer", "gift_item"]


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


@transaction.atomic
def checklist_create_from_template(*, actor: User, show: TradeShow) -> list[BoothChecklistItem]:
    """Copy the active lines of the booth standard; lines the show has already stay."""
    have = set(show.checklist.values_list("name", flat=True))
    gift = GiftItem.objects.filter(is_active=True).order_by("name").first()
    created = []
    for line in ChecklistTemplateItem.objects.filter(is_active=True).order_by("position", "pk"):
        if line.name in have:
            continue
        created.append(
            BoothChecklistItem(
                show=show,
                category=line.category,
                name=line.name,
                name_en=line.name_en,
                quantity=line.quantity,
                unit=line.unit,
                position=line.position,
                gift_item=gift if line.is_gift else None,
            )
        )
    BoothChecklistItem.objects.bulk_create(created)
    log_activity(
        actor=actor, action="checklist.created", obj=show, changes={"items": str(len(created))}
    )
    return created


def _check(item: BoothChecklistItem) -> None:
    if not item.name.strip():
        raise _error("name", _("Name the item."))
    if item.quantity < 1:
        raise _error("quantity", _("The quantity must be at least 1."))
    clash = BoothChecklistItem.objects.filter(show=item.show, name=item.name).exclude(pk=item.pk)
    if clash.exists():
        raise _error("name", _("The checklist has “%(name)s” already.") % {"name": item.name})
    if item.packer_id and not item.show.team.filter(pk=item.packer_id).exists():
        raise _error("packer", _("Choose someone from the booth team."))


@transaction.atomic
def checklist_item_create(*, actor: User, show: TradeShow, **data: Any) -> BoothChecklistItem:
    item = BoothChecklistItem(show=show, position=show.checklist.count() + 100)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    _check(item)
    item.save()
    log_activity(
        actor=actor, action="checklist.item_added", obj=item, changes=snapshot(item, ITEM_FIELDS)
    )
    return item


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: BoothChecklistItem, data: dict[str, Any]
) -> BoothChecklistItem:
    item = BoothChecklistItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    before = snapshot(item, ITEM_FIELDS)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if item.state != CS.TO_PACK and (
        item.quantity != int(before["quantity"]) or str(item.gift_item or "") != before["gift_item"]
    ):
        raise _error("quantity", _("This item is packed already; its quantity stays as packed."))
    _check(item)
    item.save()
    log_activity(
        actor=actor,
        action="checklist.item_updated",
        obj=item,
        changes=diff_snapshots(before, snapshot(item, ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def checklist_item_advance(
    *, actor: User, item: BoothChecklistItem, returned_quantity: int = 0
) -> BoothChecklistItem:
    """Move the item one step on: to pack → packed → set up → returned."""
    item = (
        BoothChecklistItem.objects.select_for_update(of=("self",))
        .select_related("show", "gift_item")
        .get(pk=item.pk)
    )
    target = NEXT_STATE.get(item.state)
    if target is None:
        raise ApplicationError(_("“%(name)s” is back already.") % {"name": item.name})
    note = f"{item.show} · {item.name}"
    if target == CS.PACKED and item.gift_item is not None:
        # The gifts leave the store with the booth (SOP 5.3.2 纪念品).
        stock_take(actor=actor, item=item.gift_item, quantity=item.quantity, note=note)
    if target == CS.RETURNED:
        if item.gift_item is None:
            returned_quantity = 0
        elif not 0 <= returned_quantity <= item.quantity:
            raise _error(
                "returned_quantity",
                _("Between 0 and %(max)s can come back.") % {"max": item.quantity},
            )
        if returned_quantity and item.gift_item is not None:
            stock_receive(actor=actor, item=item.gift_item, quantity=returned_quantity, note=note)
        item.returned_quantity = returned_quantity
    before = item.get_state_display()
    item.state = target
    item.save()
    log_activity(
        actor=actor,
        action="checklist.item_moved",
        obj=item,
        changes={"state": [str(before), str(item.get_state_display())]},
    )
    return item


@transaction.atomic
def checklist_item_delete(*, actor: User, item: BoothChecklistItem) -> None:
    log_activity(actor=actor, action="checklist.item_removed", obj=item)
    deleted, _rows = BoothChecklistItem.objects.filter(pk=item.pk, state=CS.TO_PACK).delete()
    if not deleted:
        raise ApplicationError(_("Only items not packed yet can be removed."))
