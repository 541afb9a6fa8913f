from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.imports.helpers import csv_bytes, upload, xlsx_bytes
from visitflow.customers.models import Customer
from visitflow.imports import services
from visitflow.imports.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

GOOD = [["深圳市华强电子有限公司", "A", "", "深圳", "王伟", "采购经理", "13812345678", ""]]


def post_file(client: Any, content: bytes, name: str = "customers.csv") -> Any:
    return client.post(reverse("imports:upload"), {"file": upload(content, name)})


def test_upload_mapping_dry_run_and_import_through_the_pages(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = login(org["east_sales"])
    rows = [*GOOD, ["坏电话公司", "A", "", "", "张三", "", "12345", ""]]
    response = post_file(client, csv_bytes(rows, encoding="gbk"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "王伟" in page.content.decode()  # the first values under each column
    post = {f"col_{i}": key for i, key in job.mapping.items()}
    response = client.post(reverse("imports:mapping", args=[job.pk]), post)
    assert response.status_code == 302
    page = client.get(reverse("imports:detail", args=[job.pk]))
    html = page.content.decode()
    assert 'data-action="create"' in html and 'data-action="refuse"' in html
    assert "is not a valid phone number" in html
    refused = client.get(reverse("imports:detail", args=[job.pk]), {"show": "refuse"})
    assert 'data-action="create"' not in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:start", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert list(Customer.objects.values_list("name", flat=True)) == ["深圳市华强电子有限公司"]
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert reverse("customers:list") in page.content.decode()


def test_mapping_without_name_column_keeps_the_choices_and_says_why(org: dict[str, Any]) -> None:
    client = login(org["east_sales"])
    post_file(client, csv_bytes(GOOD))
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:mapping", args=[job.pk]), {"col_1": "level", "col_3": "city"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a column for: Company name." in html
    assert '<option value="city" selected>' in html
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.xlsx", "not a spreadsheet"),
        (b"", "empty.csv", "The submitted file is empty."),
        ("客户名称,级别\n".encode(), "header.csv", "no data rows"),
    ],
)
def test_bad_uploads_get_a_clear_message(
    org: dict[str, Any], content: bytes, name: str, message: str
) -> None:
    response = post_file(login(org["east_sales"]), content, name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_oversize_upload_is_refused_by_its_declared_length(
    org: dict[str, Any], settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    client = login(org["east_sales"])
    response = client.post(
        reverse("imports:upload"),
        {"file": upload(b"a,b\n" + b"x,y\n" * 40_000)},
    )
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_oversize_within_overhead_is_refused_by_the_form(
    org: dict[str, Any], settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    response = post_file(login(org["east_sales"]), csv_bytes(GOOD * 20))
    assert response.status_code == 422
    assert "larger than" in response.content.decode()


def test_xlsx_upload_is_read(org: dict[str, Any]) -> None:
    response = post_file(login(org["east_sales"]), xlsx_bytes(GOOD), "c.xlsx")
    assert response.status_code == 302
    assert ImportJob.objects.get().file_format == "xlsx"


def test_roles_without_customer_creation_get_403(org: dict[str, Any]) -> None:
    for role in ("reception", "driver", "director", "finance"):
        client = login(org[role])
        assert client.get(reverse("imports:list")).status_code == 403
        assert client.get(reverse("imports:upload")).status_code == 403
        assert client.get(reverse("imports:template", args=["xlsx"])).status_code == 403


def test_another_persons_import_is_not_found(org: dict[str, Any]) -> None:
    job = services.import_job_create(actor=org["east_sales"], upload=upload(csv_bytes(GOOD)))
    for person in ("east_sales2", "east_manager", "admin"):
        client = login(org[person])
        assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("imports:mapping", args=[job.pk])).status_code == 404
        assert client.post(reverse("imports:start", args=[job.pk])).status_code == 404


def test_import_list_query_count_is_pinned(org: dict[str, Any]) -> None:
    sales = org["east_sales"]
    for _ in range(30):
        services.import_job_create(actor=sales, upload=upload(csv_bytes(GOOD)))
    services.import_job_create(actor=org["south_sales"], upload=upload(csv_bytes(GOOD)))
    client = login(sales)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("imports:list"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/imports/') >= 25
    # session, user, the team (navigation), count, one page of jobs: not one per job
    assert len(queries) == 5, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_progress_partial_polls_while_running_and_refreshes_when_done(org: dict[str, Any]) -> None:
    sales = org["east_sales"]
    job = services.import_job_create(actor=sales, upload=upload(csv_bytes(GOOD)))
    job.status = ImportStatus.IMPORTING
    job.total_rows, job.rows_done = 10, 4
    job.save()
    client = login(sales)
    url = reverse("imports:detail", args=[job.pk])
    response = client.get(url, {"progress": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and "width: 40%" in html
    assert "<html" not in html
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, rows_done=10)
    response = client.get(url, {"progress": "1"}, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_templates_download_in_the_users_language(org: dict[str, Any]) -> None:
    client = login(org["east_sales"])
    response = client.get(reverse("imports:template", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Company name,Short name,Level")
    assert "深圳市示例科技有限公司" in text
    response = client.get(reverse("imports:template", args=["xlsx"]))
    assert response.content.startswith(b"PK")
    assert client.get(reverse("imports:template", args=["pdf"])).status_code == 404


def test_customer_list_offers_the_import_to_those_who_may_create(org: dict[str, Any]) -> None:
    url = reverse("customers:list")
    assert reverse("imports:upload") in login(org["east_sales"]).get(url).content.decode()
    assert reverse("imports:upload") not in login(org["reception"]).get(url).content.decode()


def test_upload_form_is_csrf_protected(org: dict[str, Any]) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org["east_sales"])
    response = client.post(reverse("imports:upload"), {"file": upload(csv_bytes(GOOD))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
