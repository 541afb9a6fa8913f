import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories.customers import level
from tests.factories.people import make_user
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.accounts.models import Role
from visitflow.customers.models import Contact, Customer
from visitflow.notifications.models import Notification
from visitflow.reminders.models import Reminder
from visitflow.reminders.services import reminders_plan, reminders_send
from visitflow.tradeshows.models import CallOutcome, Lead, LeadStatus, TradeShow
from visitflow.tradeshows.selectors_leads import show_funnel
from visitflow.tradeshows.services import booth, leads
from visitflow.tradeshows.services.invitations import invitation_call_record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AFTER = datetime(2026, 12, 12, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(datetime(2026, 12, 9, 10, tzinfo=SHANGHAI)) as clock:
        yield clock


@pytest.fixture
def show(org: dict[str, Any]) -> TradeShow:
    return make_show(
        actor=org["east_manager"], team=[org["east_sales2"], org["east_sales"], org["south_sales"]]
    )


def capture(show: TradeShow, actor: Any, **data: str) -> Lead:
    return booth.lead_capture(actor=actor, show=show, data=data)


def test_duplicates_are_suggested_and_merged(org: dict[str, Any], show: TradeShow) -> None:
    staff = org["east_sales2"]
    first = capture(show, staff, name="周杰", company="杰出机电", mobile="13811112222")
    second = capture(show, staff, name="周杰", company="杰出机电", email="zhou@jiechu.example")
    third = capture(show, staff, name="吴刚", mobile="13811112222")
    other = capture(show, staff, name="郑和", company="航海贸易")
    [group] = leads.duplicate_groups(show)
    assert {lead.pk for lead in group} == {first.pk, second.pk, third.pk}
    assert other not in group
    kept = leads.lead_merge(actor=org["east_manager"], keep=first, other=second)
    assert kept.email == "zhou@jiechu.example"
    second.refresh_from_db()
    assert second.status == LeadStatus.MERGED and second.merged_into == first
    assert second.booth_visits.count() == 0
    assert first.booth_visits.count() == 2
    client = login(org["east_manager"])
    page = client.get(f"/tradeshows/{show.pk}/leads/")
    assert 'data-testid="duplicates"' in page.content.decode()
    response = client.post(f"/tradeshows/leads/{first.pk}/merge/", {"other": third.pk})
    assert response.status_code == 302
    assert leads.duplicate_groups(show) == []


def test_auto_assign_owner_region_then_round_robin(org: dict[str, Any], show: TradeShow) -> None:
    staff = org["east_sales2"]
    known = make_contact(org["south_sales"], mobile="+8613900001111")
    make_contact(org["east_sales"], region="浙江")
    a = capture(show, staff, name="甲", mobile="13900001111")
    b = capture(show, staff, name="乙", address="浙江省杭州市西湖区")
    c = capture(show, staff, name="丙")
    d = capture(show, staff, name="丁")
    count = leads.leads_auto_assign(actor=org["east_manager"], show=show)
    assert count == 4
    for lead in (a, b, c, d):
        lead.refresh_from_db()
    assert a.owner == known.customer.owner == org["south_sales"]
    assert b.owner == org["east_sales"]
    assert {c.owner, d.owner} <= {org["east_sales"], org["east_sales2"], org["south_sales"]}
    assert c.owner != d.owner
    assert a.status == LeadStatus.ASSIGNED
    assert a.call_due_at == datetime(2026, 12, 11, 10, tzinfo=SHANGHAI)  # 48 hours


def test_the_follow_up_call_is_reminded_and_recorded(org: dict[str, Any], show: TradeShow) -> None:
    lead = capture(show, org["east_sales2"], name="冯", mobile="13711112222")
    leads.lead_assign(actor=org["east_manager"], lead=lead, owner=org["east_sales"])
    lead.refresh_from_db()
    assert lead.call_due_at is not None
    reminders_plan(now=lead.call_due_at - timedelta(hours=1))
    [reminder] = Reminder.objects.filter(kind="lead_call")
    assert reminder.recipient == org["east_sales"]
    reminders_send(reminder_ids=[reminder.pk], now=lead.call_due_at)
    assert Notification.objects.filter(kind="lead_call", title__contains="冯").exists()
    client = login(org["east_sales"])
    bad = client.post(f"/tradeshows/leads/{lead.pk}/call/", {"outcome": "  "})
    assert bad.status_code == 422
    ok = client.post(f"/tradeshows/leads/{lead.pk}/call/", {"outcome": "要样品，下周寄出"})
    assert ok.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CALLED and lead.call_due_at is None


def test_converting_creates_a_customer_and_contact_or_adds_to_the_known_one(
    org: dict[str, Any], show: TradeShow
) -> None:
    new = capture(show, org["east_sales2"], name="褚", company="褚氏精密", mobile="13622223333")
    leads.lead_assign(actor=org["east_manager"], lead=new, owner=org["east_sales"])
    converted = leads.lead_convert(actor=org["east_sales"], lead=new, level=level("B"))
    customer = Customer.objects.get(name="褚氏精密")
    assert customer.owner == org["east_sales"]
    assert customer.source == "trade_show"
    assert converted.contact == Contact.objects.get(customer=customer, name="褚")
    known = make_contact(org["east_sales"])
    again = capture(show, org["east_sales2"], name="卫", company=known.customer.name)
    leads.lead_convert(actor=org["east_sales"], lead=again, level=level("B"))
    assert Customer.objects.filter(name=known.customer.name).count() == 1
    assert known.customer.contacts.filter(name="卫").exists()


def test_funnel_counts_per_salesperson(org: dict[str, Any], show: TradeShow) -> None:
    mine = [make_contact(org["east_sales"]) for _n in range(3)]
    invitations = make_invitations(show, org["east_sales"], mine)
    invitation_call_record(
        actor=org["east_sales"], invitation=invitations[0], outcome=CallOutcome.WILL_COME
    )
    invitation_call_record(
        actor=org["east_sales"], invitation=invitations[1], outcome=CallOutcome.WILL_COME
    )
    booth.booth_check_in(actor=org["east_sales2"], show=show, invitation=invitations[0])
    lead = capture(show, org["east_sales2"], name="蒋")
    leads.lead_assign(actor=org["east_manager"], lead=lead, owner=org["east_sales"])
    leads.lead_call_record(actor=org["east_sales"], lead=lead, outcome="约了来访")
    rows = {row.owner: row for row in show_funnel(org["east_manager"], show)}
    row = rows[str(org["east_sales"])]
    assert (row.invited, row.confirmed, row.came, row.leads, row.called) == (3, 2, 1, 1, 1)
    # A salesperson's funnel holds only their own (once off the booth team).
    show.team.remove(org["south_sales"])
    other = show_funnel(org["south_sales"], show)
    assert all(r.owner != str(org["east_sales"]) for r in other)
    assert login(org["east_manager"]).get(f"/tradeshows/{show.pk}/funnel/").status_code == 200


def test_leads_belong_to_their_salesperson(org: dict[str, Any], show: TradeShow) -> None:
    lead = capture(show, org["east_sales2"], name="沈")
    leads.lead_assign(actor=org["east_manager"], lead=lead, owner=org["east_sales"])
    outsider_show = make_show(actor=org["east_manager"], name="另一个展会")
    assert outsider_show.pk
    # Booth staff of the show see its leads; a salesperson outside it sees only theirs.
    assert login(org["south_sales"]).get(f"/tradeshows/leads/{lead.pk}/").status_code == 200
    stranger = make_user(role=Role.SALES, team=org["south"])
    assert login(stranger).get(f"/tradeshows/leads/{lead.pk}/").status_code == 404
    show.team.remove(org["east_sales"])
    assert login(org["east_sales"]).get(f"/tradeshows/leads/{lead.pk}/").status_code == 200
    call = login(org["south_sales"]).post(f"/tradeshows/leads/{lead.pk}/call/", {"outcome": "x"})
    assert call.status_code == 403
    assign = login(org["east_sales"]).post(
        f"/tradeshows/leads/{lead.pk}/assign/", {"owner": org["east_sales"].pk}
    )
    assert assign.status_code == 403


def test_export_to_excel(
    org: dict[str, Any], show: TradeShow, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        capture(show, org["east_sales2"], name=f"导出{n}", company="导出测试公司")
    client = login(org["east_manager"])
    with django_assert_max_num_queries(10):
        response = client.get(f"/tradeshows/{show.pk}/leads/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "name"
    assert {row[0] for row in rows[1:]} == {f"导出{n}" for n in range(5)}
    with django_assert_max_num_queries(10):
        response = client.get(f"/tradeshows/{show.pk}/leads/?export=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("name,company,")
    assert text.count("导出测试公司") == 5
    with django_assert_max_num_queries(14):
        assert client.get(f"/tradeshows/{show.pk}/leads/").status_code == 200
