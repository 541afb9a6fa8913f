from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.customers import CustomerFactory
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.visits.models import StepState, Visit, VisitStatus

pytestmark = pytest.mark.django_db

# role -> visibility of (own-team visit, other-team visit), and may it edit the own-team one
MATRIX = {
    "east_sales": (True, False, True),
    "east_sales2": (False, False, False),
    "east_manager": (True, False, True),
    "south_sales": (False, True, False),
    "director": (True, True, False),
    "general_manager": (True, True, False),
    "reception": (True, True, False),
    "finance": (True, True, False),
    "driver": (False, False, False),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_visit_visibility_and_editing_by_role(org, role):
    east = make_visit(actor=org["east_sales"])
    south = make_visit(actor=org["south_sales"])
    sees_east, sees_south, edits_east = MATRIX[role]
    client = login(org[role])
    for visit, sees in ((east, sees_east), (south, sees_south)):
        response = client.get(reverse("visits:detail", args=[visit.pk]))
        assert response.status_code == (200 if sees else 404)
    listing = client.get(reverse("visits:list"), {"period": ""})
    if role == "driver":
        assert listing.status_code == 403
    else:
        shown = {v.pk for v in listing.context["page"].object_list}
        assert (east.pk in shown) == sees_east and (south.pk in shown) == sees_south
    edit = client.get(reverse("visits:edit", args=[east.pk]))
    assert edit.status_code == (200 if edits_east else (403 if sees_east else 404))
    step = east.steps.first()
    response = client.post(reverse("visits:step_action", args=[step.pk, "done"]))
    step.refresh_from_db()
    assert (step.state == StepState.DONE) == edits_east
    assert response.status_code in (302, 404)


def test_host_who_does_not_own_the_customer_sees_the_visit(org):
    customer = CustomerFactory(owner=org["east_sales"])
    visit = make_visit(actor=org["east_manager"], customer=customer, host=org["east_sales2"])
    assert (
        login(org["east_sales2"]).get(reverse("visits:detail", args=[visit.pk])).status_code == 200
    )


def test_register_a_visit_and_see_what_is_missing(org):
    customer = CustomerFactory(owner=org["east_sales"])
    client = login(org["east_sales"])
    response = client.post(
        reverse("visits:create"),
        {
            "customer": customer.pk,
            "importance": "important",
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-12T15:00",
            "wants_pickup": "on",
        },
    )
    visit = Visit.objects.get(customer=customer)
    assert response.status_code == 302
    assert visit.host == org["east_sales"] and visit.steps.count() == 10
    page = client.get(reverse("visits:detail", args=[visit.pk]))
    assert len(page.context["missing"]) == 3
    body = page.content.decode()
    assert "尚未填写来访人员" in body and "没有来程航班或车次" in body
    response = client.post(reverse("visits:transition", args=[visit.pk, "confirmed"]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_end_before_start_keeps_what_was_typed(org):
    customer = CustomerFactory(owner=org["east_sales"])
    response = login(org["east_sales"]).post(
        reverse("visits:create"),
        {
            "customer": customer.pk,
            "importance": "normal",
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-09T10:00",
            "purpose_notes": "看新产线",
        },
    )
    assert response.status_code == 422
    assert "ends_at" in response.context["form"].errors
    body = response.content.decode()
    assert "离开时间必须晚于到达时间" in body and 'value="看新产线"' in body
    assert not Visit.objects.exists()


def test_cannot_register_for_someone_elses_customer(org):
    foreign = CustomerFactory(owner=org["south_sales"])
    response = login(org["east_sales"]).post(
        reverse("visits:create"),
        {
            "customer": foreign.pk,
            "importance": "normal",
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-11T10:00",
        },
    )
    assert response.status_code == 422
    assert "customer" in response.context["form"].errors


def test_bad_visitor_and_leg_input_is_explained_on_the_page(org):
    visit = make_visit(actor=org["east_sales"])
    client = login(org["east_sales"])
    response = client.post(
        reverse("visits:visitor_add", args=[visit.pk]), {"name": "张三", "mobile": "123"}
    )
    assert response.status_code == 422
    assert "mobile" in response.context["visitor_form"].errors
    assert 'value="张三"' in response.content.decode()
    response = client.post(
        reverse("visits:leg_add", args=[visit.pk]),
        {
            "direction": "inbound",
            "mode": "flight",
            "number": "CA1831",
            "arrives_at": (visit.ends_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 422
    assert "arrives_at" in response.context["leg_form"].errors
    assert 'value="CA1831"' in response.content.decode()


def test_leg_number_warns_without_blocking(org):
    visit = make_visit(actor=org["east_sales"])
    response = login(org["east_sales"]).post(
        reverse("visits:leg_add", args=[visit.pk]),
        {
            "direction": "inbound",
            "mode": "flight",
            "number": "XYZ",
            "to_place": "深圳宝安",
            "arrives_at": (visit.starts_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "不像航班号" in response.content.decode()
    assert visit.legs.count() == 1


def test_tick_a_checklist_item_with_htmx(org):
    visit = make_visit(actor=org["east_sales"])
    step = visit.steps.get(playbook_step__code="briefing")
    item = step.items.first()
    response = login(org["east_sales"]).post(
        reverse("visits:item_toggle", args=[item.pk]), {"done": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<li") and f'id="step-{step.pk}"' in body
    item.refresh_from_db()
    assert item.is_done


def test_skip_needs_a_reason_htmx(org):
    visit = make_visit(actor=org["east_sales"])
    step = visit.steps.first()
    client = login(org["east_sales"])
    response = client.post(
        reverse("visits:step_action", args=[step.pk, "skip"]),
        {"reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "请说明跳过该步骤的原因" in response.content.decode()
    response = client.post(
        reverse("visits:step_action", args=[step.pk, "skip"]), {"reason": "客户已自行安排"}
    )
    step.refresh_from_db()
    assert step.state == StepState.SKIPPED


def test_full_flow_through_the_pages_ends_on_my_day(org):
    actor = org["east_sales"]
    visit = make_ready_visit(actor=actor)
    client = login(actor)
    for target in ("confirmed", "in_progress", "departed"):
        client.post(reverse("visits:transition", args=[visit.pk, target]))
    response = client.post(
        reverse("visits:return_call", args=[visit.pk]),
        {"reached": "1", "product_rating": "5", "image_rating": "4", "suggestions": "交期再快些"},
    )
    assert response.status_code == 302
    client.post(reverse("visits:transition", args=[visit.pk, "closed"]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED
    feedback = login(org["east_manager"]).get(reverse("visits:feedback"))
    assert "交期再快些" in feedback.content.decode()
    follow_ups = client.get(reverse("visits:follow_ups")).context["page"].object_list
    assert [f.customer for f in follow_ups] == [visit.customer]


def test_return_call_rating_out_of_range(org):
    actor = org["east_sales"]
    visit = make_ready_visit(actor=actor)
    visit.status = VisitStatus.DEPARTED
    visit.save()
    response = login(actor).post(
        reverse("visits:return_call", args=[visit.pk]), {"reached": "1", "product_rating": "9"}
    )
    assert response.status_code == 422
    assert "product_rating" in response.context["return_call_form"].errors


def test_visit_list_query_count_is_constant(org, django_assert_max_num_queries):
    client = login(org["east_manager"])
    url = reverse("visits:list")
    make_visit(actor=org["east_sales"])
    client.get(url, {"period": ""})
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"period": ""})
    for _ in range(8):
        make_visit(actor=org["east_sales2"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as big:
        client.get(url, {"period": ""})
    assert len(big.captured_queries) == len(small.captured_queries)


def test_my_day_shows_todays_visit_with_flight_and_visitors(org):
    from django.utils import timezone

    actor = org["east_sales"]
    start = timezone.now() + timedelta(hours=2)
    visit = make_ready_visit(actor=actor, starts_at=start)
    body = login(actor).get(reverse("visits:my_day")).content.decode()
    assert visit.customer.name in body and "CA1831" in body and "王建国" in body
    assert "戴眼镜" in body


def test_calendar_month_and_week(org, django_assert_max_num_queries):
    east = make_visit(actor=org["east_sales"])
    south = make_visit(actor=org["south_sales"])
    client = login(org["east_sales"])
    response = client.get(reverse("visits:calendar"), {"month": "2026-12"})
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("visits:detail", args=[east.pk]) in body
    assert reverse("visits:detail", args=[south.pk]) not in body
    # A two-day visit shows on each of its days (10th to 12th December).
    assert body.count(reverse("visits:detail", args=[east.pk])) == 3
    week = client.get(reverse("visits:calendar"), {"week": "2026-12-09"})
    assert week.context["weeks"][0][0][0].isoformat() == "2026-12-07"
    for bad in (
        {"month": "13-99"},
        {"week": "yesterday"},
        {"month": "9999-12"},
        {"week": "0001-01-01"},
    ):
        assert client.get(reverse("visits:calendar"), bad).status_code == 200
    with django_assert_max_num_queries(6):
        client.get(reverse("visits:calendar"), {"month": "2026-12"})


def test_list_counts_up_to_a_cap(org, monkeypatch):
    from visitflow.core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(5):
        make_visit(actor=org["east_sales"])
    response = login(org["east_sales"]).get(reverse("visits:list"), {"period": ""})
    paginator = response.context["page"].paginator
    assert paginator.count == 3 and paginator.capped
    assert "缩小" in response.content.decode() or "筛选" in response.content.decode()


def test_add_a_visitor_from_a_known_contact(org):
    from tests.factories.customers import ContactFactory

    visit = make_visit(actor=org["east_sales"])
    contact = ContactFactory(customer=visit.customer, name="周立", features="很高，戴眼镜")
    foreign = ContactFactory(customer=CustomerFactory(owner=org["south_sales"]))
    client = login(org["east_sales"])
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "周立" in page and foreign.name not in page
    response = client.post(reverse("visits:visitor_add", args=[visit.pk]), {"contact": contact.pk})
    assert response.status_code == 302
    visitor = visit.visitors.get()
    assert (visitor.name, visitor.features, visitor.contact) == ("周立", "很高，戴眼镜", contact)
    response = client.post(reverse("visits:visitor_add", args=[visit.pk]), {"contact": foreign.pk})
    assert response.status_code == 422
    response = client.post(reverse("visits:visitor_add", args=[visit.pk]), {"title": "经理"})
    assert response.status_code == 422
    assert "name" in response.context["visitor_form"].errors
