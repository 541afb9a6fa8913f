import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.factories.customers import CustomerFactory
from tests.factories.people import make_user
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.visits import services
from visitflow.visits.documents import brief_pdf, itinerary_pdf

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(content: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the file."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"].get_object()
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descendant.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def visit(org):
    host = org["east_sales"]
    host.mobile = "+8613800138000"
    host.save(update_fields=["mobile"])
    customer = CustomerFactory(
        owner=host, name="深圳华强电子有限公司", address="深圳市福田区华强北路1号"
    )
    visit = make_ready_visit(actor=host, customer=customer, purpose_notes="看新产线")
    services.visitor_add(
        actor=host, visit=visit, name="张伟", title="采购经理", mobile="+8613912345678"
    )
    services.request_create(
        actor=host, visit=visit, title="寄送样品", due_date=date(2026, 12, 20), details="两箱"
    )
    return visit


def test_brief_has_the_party_with_features_steps_and_requests(visit, org):
    content = brief_pdf(visit, user=org["east_sales"])
    text = pdf_text(content)
    assert content.startswith(b"%PDF")
    for expected in (
        "深圳华强电子有限公司",
        "王建国",
        "李娜",
        "张伟",
        "戴眼镜，灰色西装",
        "CA1831",
    ):
        assert expected in text
    assert "寄送样品" in text  # open request
    assert "139 1234 5678" in text or "13912345678" in text  # staff see visitors' phones


def test_pdfs_embed_the_cjk_font(visit, org):
    for content in (brief_pdf(visit, user=org["east_sales"]), itinerary_pdf(visit)):
        fonts = embedded_fonts(content)
        assert any("WenQuanYi" in name for name in fonts), fonts


def test_itinerary_is_bilingual_and_keeps_internal_data_out(visit):
    text = pdf_text(itinerary_pdf(visit))
    for expected in ("来访行程", "Visit itinerary", "王建国", "李娜", "CA1831", "深圳宝安T3"):
        assert expected in text
    assert "接待人" in text and "Your host" in text
    assert "138 0013 8000" in text or "13800138000" in text  # the host's phone
    # No steps, no requests, no other visitor's phone, no recognition notes.
    assert "寄送样品" not in text
    assert "戴眼镜" not in text
    assert "13912345678" not in text.replace(" ", "")


def test_itinerary_shows_the_company_address_when_configured(visit, settings):
    settings.VISITFLOW_COMPANY_NAME = "示例科技有限公司"
    settings.VISITFLOW_COMPANY_ADDRESS = "深圳市南山区科技园路8号"
    text = pdf_text(itinerary_pdf(visit))
    assert "深圳市南山区科技园路8号" in text


@pytest.mark.parametrize("name", ["brief_pdf", "itinerary_pdf"])
def test_pdf_views_answer_who_may_see_the_visit(visit, org, name):
    url = f"/visits/{visit.pk}/{name.replace('_pdf', '')}.pdf"
    response = login(org["east_sales"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        b"".join(response).startswith(b"%PDF")
        if response.streaming
        else response.content[:4] == b"%PDF"
    )
    assert login(org["east_manager"]).get(url).status_code == 200
    assert login(org["south_sales"]).get(url).status_code == 404
    assert login(org["south_manager"]).get(url).status_code == 404
    assert login(org["driver"]).get(url).status_code == 404


def test_pdf_views_need_a_login(visit):
    from django.test import Client

    response = Client().get(f"/visits/{visit.pk}/brief.pdf")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_pdf_of_a_missing_visit_is_404(org):
    assert login(org["admin"]).get("/visits/999999/brief.pdf").status_code == 404


def test_a_co_host_from_another_team_may_print_the_brief(visit, org):
    outsider = make_user(team=org["south"])
    visit.co_hosts.add(outsider)
    assert login(outsider).get(f"/visits/{visit.pk}/brief.pdf").status_code == 200


def test_a_bare_draft_still_prints(org):
    visit = make_visit(actor=org["east_sales"])
    assert "None" not in pdf_text(itinerary_pdf(visit))
    text = pdf_text(brief_pdf(visit, user=org["east_sales"]))
    assert visit.customer.name in text


def test_the_profile_include_only_loads_the_panel(org):
    from django.template.loader import render_to_string

    html = render_to_string("accounts/_calendar_feed.html")
    assert 'hx-get="/visits/calendar/feed/"' in html
    assert "calendar_feed_create" not in html and "<form" not in html
