from typing import Any

import pytest

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.tradeshows.models import ChecklistTemplateItem
from visitflow.tradeshows.services import booth

pytestmark = pytest.mark.django_db


def test_admin_edits_the_booth_standard_and_reads_the_rest(org: dict[str, Any]) -> None:
    show = make_show(actor=org["east_manager"], team=[org["east_sales2"]])
    make_invitations(show, org["east_sales"], [make_contact(org["east_sales"])])
    booth.lead_capture(actor=org["east_sales2"], show=show, data={"name": "管理员看"})
    client = login(org["admin"])
    for model in (
        "tradeshow",
        "staffshift",
        "invitation",
        "lead",
        "boothvisit",
        "boothchecklistitem",
        "checklisttemplateitem",
    ):
        assert client.get(f"/admin/tradeshows/{model}/").status_code == 200, model
    item = ChecklistTemplateItem.objects.get(name="矿泉水")
    page = client.get(f"/admin/tradeshows/checklisttemplateitem/{item.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/tradeshows/lead/add/").status_code == 403
    invitation_page = client.get("/admin/tradeshows/invitation/")
    token = show.invitations.get().token
    assert token not in invitation_page.content.decode()
