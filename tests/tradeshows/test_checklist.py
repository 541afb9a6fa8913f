from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import login
from tests.factories.tradeshows import make_show
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import GiftItem, StockMovement
from visitflow.tradeshows.models import (
    BoothChecklistItem,
    ChecklistState,
    ChecklistTemplateItem,
    TradeShow,
)
from visitflow.tradeshows.services import checklist as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def gift() -> GiftItem:
    return GiftItem.objects.create(name="定制保温杯", unit_value=Decimal("45.00"), stock=150)


@pytest.fixture
def show(org: dict[str, Any]) -> TradeShow:
    return make_show(actor=org["east_manager"], team=[org["east_sales"]])


def test_the_booth_standard_is_seeded_from_the_sop() -> None:
    names = set(ChecklistTemplateItem.objects.values_list("name", flat=True))
    for expected in (
        "宣传海报",
        "电脑",
        "椅子",
        "产品画册",
        "宣传折页",
        "纪念品",
        "手提袋",
        "饮水机",
    ):
        assert expected in names
    assert {"display", "office", "takeaway", "hospitality"} == set(
        ChecklistTemplateItem.objects.values_list("category", flat=True)
    )
    assert ChecklistTemplateItem.objects.get(name="纪念品").is_gift


def test_a_checklist_is_a_copy_of_the_standard_once(
    org: dict[str, Any], show: TradeShow, gift: GiftItem
) -> None:
    first = services.checklist_create_from_template(actor=org["east_manager"], show=show)
    assert len(first) == ChecklistTemplateItem.objects.filter(is_active=True).count()
    assert show.checklist.get(name="纪念品").gift_item == gift
    assert services.checklist_create_from_template(actor=org["east_manager"], show=show) == []


def test_gifts_leave_stock_when_packed_and_come_back_when_returned(
    org: dict[str, Any], show: TradeShow, gift: GiftItem
) -> None:
    services.checklist_create_from_template(actor=org["east_manager"], show=show)
    line = show.checklist.get(name="纪念品")
    staff = org["east_sales"]
    line = services.checklist_item_advance(actor=staff, item=line)
    assert line.state == ChecklistState.PACKED
    gift.refresh_from_db()
    assert gift.stock == 50
    line = services.checklist_item_advance(actor=staff, item=line)
    assert line.state == ChecklistState.SET_UP
    with pytest.raises(ApplicationError):
        services.checklist_item_advance(actor=staff, item=line, returned_quantity=101)
    line = services.checklist_item_advance(actor=staff, item=line, returned_quantity=30)
    assert line.state == ChecklistState.RETURNED
    gift.refresh_from_db()
    assert gift.stock == 80
    assert list(StockMovement.objects.order_by("id").values_list("change", flat=True)) == [-100, 30]
    with pytest.raises(ApplicationError):
        services.checklist_item_advance(actor=staff, item=line)


def test_not_enough_gifts_in_stock_refuses_packing(
    org: dict[str, Any], show: TradeShow, gift: GiftItem
) -> None:
    services.checklist_create_from_template(actor=org["east_manager"], show=show)
    line = show.checklist.get(name="纪念品")
    services.checklist_item_update(actor=org["east_manager"], item=line, data={"quantity": 200})
    with pytest.raises(ApplicationError, match="Only 150"):
        services.checklist_item_advance(actor=org["east_sales"], item=line)
    line.refresh_from_db()
    assert line.state == ChecklistState.TO_PACK


def test_packed_quantity_cannot_change_and_packer_is_from_the_team(
    org: dict[str, Any], show: TradeShow
) -> None:
    item = services.checklist_item_create(
        actor=org["east_manager"], show=show, category="office", name="打印机", quantity=1
    )
    with pytest.raises(ApplicationError) as exc:
        services.checklist_item_update(
            actor=org["east_manager"], item=item, data={"packer": org["south_sales"]}
        )
    assert "packer" in exc.value.field_errors
    services.checklist_item_advance(actor=org["east_sales"], item=item)
    with pytest.raises(ApplicationError) as exc:
        services.checklist_item_update(actor=org["east_manager"], item=item, data={"quantity": 3})
    assert "quantity" in exc.value.field_errors
    with pytest.raises(ApplicationError):
        services.checklist_item_delete(actor=org["east_manager"], item=item)


def test_checklist_page_for_booth_staff_and_forbidden_to_others(
    org: dict[str, Any], show: TradeShow, django_assert_max_num_queries: Any
) -> None:
    manager = login(org["east_manager"])
    assert manager.post(f"/tradeshows/{show.pk}/checklist/from-standard/").status_code == 302
    staff = login(org["east_sales"])
    with django_assert_max_num_queries(12):
        page = staff.get(f"/tradeshows/{show.pk}/checklist/")
    assert page.status_code == 200
    assert "饮水机" in page.content.decode()
    item = show.checklist.get(name="电脑")
    assert staff.post(f"/tradeshows/{show.pk}/checklist/{item.pk}/next/").status_code == 302
    item.refresh_from_db()
    assert item.state == ChecklistState.PACKED
    # Booth staff move items; only the organizers change the list.
    assert staff.post(f"/tradeshows/{show.pk}/checklist/add/", {}).status_code == 403
    outsider = login(org["east_sales2"])
    assert outsider.get(f"/tradeshows/{show.pk}/checklist/").status_code == 403
    assert outsider.post(f"/tradeshows/{show.pk}/checklist/{item.pk}/next/").status_code == 403
    assert login(org["reception"]).get(f"/tradeshows/{show.pk}/checklist/").status_code == 200


def test_adding_a_bad_item_keeps_what_was_typed(org: dict[str, Any], show: TradeShow) -> None:
    client = login(org["east_manager"])
    services.checklist_item_create(
        actor=org["east_manager"], show=show, category="office", name="打印机", quantity=1
    )
    response = client.post(
        f"/tradeshows/{show.pk}/checklist/add/",
        {"category": "office", "name": "打印机", "name_en": "Printer", "quantity": "2"},
    )
    assert response.status_code == 422
    assert "already" in response.content.decode()
    assert "Printer" in response.content.decode()
    response = client.post(
        f"/tradeshows/{show.pk}/checklist/add/",
        {"category": "office", "name": "扫描仪", "quantity": "0"},
    )
    assert response.status_code == 422
    assert BoothChecklistItem.objects.filter(show=show).count() == 1


def test_an_item_of_another_show_is_not_found(org: dict[str, Any], show: TradeShow) -> None:
    other = make_show(actor=org["east_manager"], name="广交会", team=[org["east_sales"]])
    item = services.checklist_item_create(
        actor=org["east_manager"], show=other, category="office", name="打印机", quantity=1
    )
    client = login(org["east_sales"])
    assert client.post(f"/tradeshows/{show.pk}/checklist/{item.pk}/next/").status_code == 404
