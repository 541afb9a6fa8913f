import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory, level
from visitflow.core.models import ActivityLog
from visitflow.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db


def test_list_shows_own_customers_with_primary_contact(org):
    mine = CustomerFactory(owner=org["east_sales"], name="深圳市华强电子有限公司")
    ContactFactory(customer=mine, name="李明", is_primary=True, mobile="+8613812345678")
    CustomerFactory(owner=org["south_sales"], name="广州南方机械有限公司")
    response = login(org["east_sales"]).get(reverse("customers:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "深圳市华强电子有限公司" in body
    assert "李明" in body
    assert "138 1234 5678" in body
    assert "广州南方机械有限公司" not in body


def test_list_search_by_contact_phone_and_filters(org):
    a = CustomerFactory(owner=org["admin"], name="苏州精工机械有限公司", city="苏州")
    ContactFactory(customer=a, name="王芳", mobile="+8613911112222")
    CustomerFactory(owner=org["admin"], name="宁波海天塑料有限公司", city="宁波", level=level("B"))
    client = login(org["admin"])
    body = client.get(reverse("customers:list"), {"q": "1391111"}).content.decode()
    assert "苏州精工机械有限公司" in body and "宁波海天塑料有限公司" not in body
    body = client.get(reverse("customers:list"), {"q": "王芳"}).content.decode()
    assert "苏州精工机械有限公司" in body
    body = client.get(reverse("customers:list"), {"level": "B"}).content.decode()
    assert "宁波海天塑料有限公司" in body and "苏州精工机械有限公司" not in body
    body = client.get(reverse("customers:list"), {"city": "苏州", "sort": "name"}).content.decode()
    assert "苏州精工机械有限公司" in body and "宁波海天塑料有限公司" not in body


def test_list_htmx_returns_only_the_results_partial(org):
    CustomerFactory(owner=org["east_sales"], name="杭州数码科技有限公司")
    response = login(org["east_sales"]).get(
        reverse("customers:list"), {"q": "杭州"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "杭州数码科技有限公司" in body
    assert "<html" not in body and "<nav" not in body.split("pagination")[0]


def test_list_bad_filter_values_do_not_break_the_page(org):
    client = login(org["east_sales"])
    for params in (
        {"owner": "abc"},
        {"level": "ZZZ"},
        {"page": "-5"},
        {"page": "99999"},
        {"sort": "password"},
        {"q": "x" * 500},
    ):
        assert client.get(reverse("customers:list"), params).status_code == 200


def test_list_query_count_does_not_grow_with_rows(org, django_assert_num_queries):
    client = login(org["east_manager"])
    url = reverse("customers:list")
    for _ in range(3):
        ContactFactory(customer=CustomerFactory(owner=org["east_sales"]))
    client.get(url)  # warm caches (content types, session)
    with django_assert_num_queries(8) as small:
        client.get(url)
    for _ in range(22):
        ContactFactory(customer=CustomerFactory(owner=org["east_sales2"]))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_create_customer_with_contact_logs_history(org):
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:create"),
        {"name": "东莞市长安五金制品有限公司", "level": level("A").pk, "city": "东莞"},
    )
    customer = Customer.objects.get(name="东莞市长安五金制品有限公司")
    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert customer.owner == org["east_sales"]
    client.post(
        reverse("customers:contact_create", args=[customer.pk]),
        {"name": "陈刚", "gender": "male", "mobile": "139 2222 3333", "features": "戴眼镜"},
    )
    contact = Contact.objects.get(customer=customer)
    assert contact.mobile == "+8613922223333"
    assert contact.is_primary
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "陈刚" in page and "139 2222 3333" in page and "戴眼镜" in page
    actions = list(ActivityLog.objects.filter(customer=customer).values_list("action", flat=True))
    assert sorted(actions) == ["contact.created", "customer.created"]


def test_edit_records_what_changed(org):
    customer = CustomerFactory(owner=org["east_sales"], city="深圳")
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": customer.name, "level": level("VIP").pk, "city": "广州"},
    )
    assert response.status_code == 302
    entry = ActivityLog.objects.get(customer=customer, action="customer.updated")
    assert entry.changes["city"] == ["深圳", "广州"]
    assert entry.changes["level"] == ["A", "VIP"]
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "广州" in page and "城市" in page


def test_bad_input_keeps_what_was_typed_and_explains_in_chinese(org):
    customer = CustomerFactory(owner=org["east_sales"])
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:contact_create", args=[customer.pk]),
        {"name": "赵强", "mobile": "12345", "title": "采购经理", "email": "not-an-email"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "不是有效的电话号码" in body
    assert "email" in response.context["form"].errors
    assert "有效的 Email 地址" in body
    assert 'value="赵强"' in body and 'value="采购经理"' in body and 'value="12345"' in body


def test_missing_and_overlong_fields(org):
    client = login(org["east_sales"])
    response = client.post(reverse("customers:create"), {"name": "", "short_name": "x" * 60})
    assert response.status_code == 422
    form = response.context["form"]
    assert "name" in form.errors and "short_name" in form.errors
    assert 'value="' + "x" * 60 + '"' in response.content.decode()
    assert Customer.objects.count() == 0


def test_exact_duplicate_name_is_refused_next_to_the_field(org):
    CustomerFactory(owner=org["south_sales"], name="深圳市华强电子有限公司")
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:create"), {"name": "深圳市华强电子有限公司", "level": level("A").pk}
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert "已存在" in response.content.decode()


def test_similar_name_needs_confirmation(org):
    CustomerFactory(owner=org["south_sales"], name="深圳市华强电子有限公司")
    client = login(org["east_sales"])
    data = {"name": "华强电子股份有限公司", "level": level("A").pk}
    response = client.post(reverse("customers:create"), data)
    assert response.status_code == 422
    assert response.context["similar"][0].name == "深圳市华强电子有限公司"
    assert 'value="华强电子股份有限公司"' in response.content.decode()
    response = client.post(reverse("customers:create"), {**data, "confirm_similar": "on"})
    assert response.status_code == 302
    assert Customer.objects.filter(name="华强电子股份有限公司").exists()


def test_archive_hides_and_admin_restores(org):
    customer = CustomerFactory(owner=org["east_sales"])
    owner = login(org["east_sales"])
    assert owner.post(reverse("customers:archive", args=[customer.pk])).status_code == 302
    assert owner.get(reverse("customers:detail", args=[customer.pk])).status_code == 404
    assert customer.name not in owner.get(reverse("customers:list")).content.decode()
    admin = login(org["admin"])
    body = admin.get(reverse("customers:list"), {"archived": "on"}).content.decode()
    assert customer.name in body
    assert admin.post(reverse("customers:restore", args=[customer.pk])).status_code == 302
    assert owner.get(reverse("customers:detail", args=[customer.pk])).status_code == 200
    actions = set(ActivityLog.objects.filter(customer=customer).values_list("action", flat=True))
    assert {"customer.archived", "customer.restored"} <= actions


def test_manager_assigns_owner_only_within_team(org):
    client = login(org["east_manager"])
    response = client.post(
        reverse("customers:create"),
        {"name": "外队客户有限公司", "level": level("A").pk, "owner": org["south_sales"].pk},
    )
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors
    response = client.post(
        reverse("customers:create"),
        {"name": "本队客户有限公司", "level": level("A").pk, "owner": org["east_sales2"].pk},
    )
    assert response.status_code == 302
    assert Customer.objects.get(name="本队客户有限公司").owner == org["east_sales2"]


def test_second_primary_contact_takes_over(org):
    customer = CustomerFactory(owner=org["east_sales"])
    first = ContactFactory(customer=customer, is_primary=True)
    client = login(org["east_sales"])
    client.post(
        reverse("customers:contact_create", args=[customer.pk]),
        {"name": "新主联系人", "is_primary": "on"},
    )
    first.refresh_from_db()
    assert not first.is_primary
    assert Contact.objects.get(name="新主联系人").is_primary


def test_create_with_primary_contact_and_a_bad_phone(org):
    client = login(org["east_sales"])
    data = {
        "name": "佛山市顺德家电有限公司",
        "level": level("B").pk,
        "contact_name": "黄伟",
        "contact_title": "采购经理",
        "contact_mobile": "1381234",
    }
    response = client.post(reverse("customers:create"), data)
    assert response.status_code == 422
    assert "contact_mobile" in response.context["form"].errors
    body = response.content.decode()
    assert "不是有效的电话号码" in body and 'value="黄伟"' in body and 'value="1381234"' in body
    assert not Customer.objects.filter(name="佛山市顺德家电有限公司").exists()
    response = client.post(reverse("customers:create"), {**data, "contact_mobile": "13812345678"})
    assert response.status_code == 302
    contact = Contact.objects.get(customer__name="佛山市顺德家电有限公司")
    assert (contact.name, contact.mobile, contact.is_primary) == ("黄伟", "+8613812345678", True)


def test_contact_phone_without_name_is_refused(org):
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:create"),
        {"name": "无名联系人公司", "level": level("B").pk, "contact_mobile": "13812345678"},
    )
    assert response.status_code == 422
    assert "contact_name" in response.context["form"].errors


def test_similar_name_links_only_what_the_user_may_open(org):
    mine = CustomerFactory(owner=org["east_sales"], name="东莞市华美五金有限公司")
    foreign = CustomerFactory(owner=org["south_sales"], name="华美五金(深圳)有限公司")
    client = login(org["east_sales"])
    response = client.post(
        reverse("customers:create"), {"name": "华美五金股份有限公司", "level": level("A").pk}
    )
    body = response.content.decode()
    assert reverse("customers:detail", args=[mine.pk]) in body
    assert foreign.name in body
    assert reverse("customers:detail", args=[foreign.pk]) not in body


def test_renaming_to_a_similar_name_asks_too(org):
    CustomerFactory(owner=org["south_sales"], name="深圳市华强电子有限公司")
    customer = CustomerFactory(owner=org["east_sales"], name="某某贸易有限公司")
    client = login(org["east_sales"])
    url = reverse("customers:edit", args=[customer.pk])
    data = {"name": "华强电子有限公司", "level": level("A").pk}
    assert client.post(url, data).status_code == 422
    assert client.post(url, {**data, "confirm_similar": "on"}).status_code == 302
    # Saving again without renaming asks nothing.
    assert client.post(url, {**data, "city": "东莞"}).status_code == 302


def test_supervisor_is_the_team_manager(org):
    assert org["east_sales"].supervisor == org["east_manager"]
    assert org["east_manager"].supervisor is None
    assert org["director"].supervisor is None
