from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.customers import ContactFactory, CustomerFactory
from tests.imports.helpers import csv_bytes, upload, xlsx_bytes
from visitflow.core.exceptions import ApplicationError
from visitflow.core.models import ActivityLog
from visitflow.customers.models import Contact, Customer, CustomerSource
from visitflow.imports import services
from visitflow.imports.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

MAPPING = {
    "0": "name",
    "1": "level",
    "2": "owner",
    "3": "city",
    "4": "contact_name",
    "5": "contact_title",
    "6": "contact_mobile",
    "7": "contact_email",
}


def mixed_rows(owner: str, other_owner: str) -> list[list[str]]:
    return [
        ["深圳市华强电子有限公司", "A", "", "深圳", "王伟", "采购经理", "13812345678", ""],
        [
            "广州白云贸易有限公司",
            "VIP",
            owner,
            "广州",
            "李娜",
            "",
            "139-1234-5678",
            "li@example.com",
        ],
        ["坏电话公司", "A", "", "", "张三", "", "12345", ""],
        ["未知级别公司", "Z", "", "", "", "", "", ""],
        ["未知负责人公司", "A", "nobody-here", "", "", "", "", ""],
        ["深圳市华强电子有限公司", "A", "", "", "", "", "", ""],
        ["别人的客户公司", "A", other_owner, "", "", "", "", ""],
    ]


def checked(actor: Any, content: bytes, name: str = "c.csv") -> ImportJob:
    job = services.import_job_create(actor=actor, upload=upload(content, name))
    job = services.import_job_set_mapping(actor=actor, job=job, mapping=MAPPING)
    return services.import_job_dry_run(actor=actor, job=job)


def by_row(job: ImportJob) -> dict[int, dict[str, Any]]:
    return {entry["row"]: entry for entry in job.report}


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_dry_run_with_mixed_rows_in_both_encodings(org: dict[str, Any], encoding: str) -> None:
    sales = org["east_sales"]
    job = checked(
        sales, csv_bytes(mixed_rows(sales.username, org["south_sales"].username), encoding=encoding)
    )
    assert job.status == ImportStatus.DRY_RUN_DONE
    rows = by_row(job)
    assert rows[2]["action"] == "create"
    assert rows[3]["action"] == "create"
    assert rows[4]["action"] == "refuse" and "not a valid phone number" in rows[4]["errors"][0]
    assert rows[5]["errors"] == ["Unknown level “Z”."]
    assert rows[6]["errors"] == ["Unknown owner “nobody-here”."]
    assert rows[7]["errors"] == ["The same company as row 2."]
    assert rows[8]["action"] == "refuse"
    assert "You cannot give customers to" in rows[8]["errors"][0]
    assert (job.created_count, job.updated_count, job.refused_count) == (2, 0, 5)
    assert not Customer.objects.exists()


def test_import_puts_good_rows_in_whole_and_reports_bad_ones(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    sales = org["east_sales"]
    job = checked(
        sales, csv_bytes(mixed_rows(sales.username, org["south_sales"].username), encoding="gbk")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(actor=sales, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.refused_count) == (2, 0, 5)
    assert job.rows_done == job.total_rows == 7
    huaqiang = Customer.objects.get(name="深圳市华强电子有限公司")
    assert huaqiang.owner == sales
    assert huaqiang.source == CustomerSource.IMPORT
    assert huaqiang.level.code == "A"
    contact = huaqiang.contacts.get()
    assert (contact.name, contact.title, contact.mobile, contact.is_primary) == (
        "王伟",
        "采购经理",
        "+8613812345678",
        True,
    )
    assert (
        Customer.objects.get(name="广州白云贸易有限公司").contacts.get().mobile == "+8613912345678"
    )
    assert Customer.objects.count() == 2
    assert Contact.objects.count() == 2
    assert ActivityLog.objects.filter(action="import.done", object_id=str(job.pk)).count() == 1


def test_existing_customer_is_updated_when_editable_and_refused_when_not(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    sales = org["east_sales"]
    mine = CustomerFactory(name="我的老客户", owner=sales, city="")
    ContactFactory(customer=mine, name="老联系人", is_primary=True)
    CustomerFactory(name="别人的老客户", owner=org["south_sales"])
    rows = [
        ["我的老客户", "VIP", "", "杭州", "新联系人", "", "", ""],
        ["别人的老客户", "A", "", "", "", "", "", ""],
    ]
    job = checked(sales, xlsx_bytes(rows), "c.xlsx")
    report = by_row(job)
    assert report[2]["action"] == "update"
    assert report[3]["errors"] == ["A customer with this name exists and belongs to someone else."]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(actor=sales, job=job)
    mine.refresh_from_db()
    assert (mine.city, mine.level.code, mine.owner) == ("杭州", "VIP", sales)
    names = dict(mine.contacts.values_list("name", "is_primary"))
    assert names == {"老联系人": True, "新联系人": False}


def test_manager_imports_for_the_team_not_for_another(org: dict[str, Any]) -> None:
    manager = org["east_manager"]
    rows = [
        ["一号公司", "A", org["east_sales"].username, "", "", "", "", ""],
        ["二号公司", "A", org["south_sales"].username, "", "", "", "", ""],
        ["三号公司", "A", str(org["east_sales2"]), "", "", "", "", ""],
    ]
    report = by_row(checked(manager, csv_bytes(rows)))
    assert report[2]["action"] == "create"
    assert report[3]["action"] == "refuse"
    assert report[4]["action"] == "create"


def test_admin_must_name_an_owner(org: dict[str, Any]) -> None:
    rows = [["一号公司", "A", "", "", "", "", "", ""]]
    report = by_row(checked(org["admin"], csv_bytes(rows)))
    assert report[2]["errors"] == ["The owner is missing."]


def test_a_row_registered_meanwhile_is_reported_and_the_others_go_in(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    sales = org["east_sales"]
    rows = [
        ["一号公司", "A", "", "", "王伟", "", "13812345678", ""],
        ["二号公司", "A", "", "", "", "", "", ""],
    ]
    job = checked(sales, csv_bytes(rows))
    # Registered by someone else between the check and the import.
    CustomerFactory(name="二号公司", owner=org["south_sales"])
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(actor=sales, job=job)
    job.refresh_from_db()
    assert (job.created_count, job.refused_count) == (1, 1)
    assert Customer.objects.get(name="一号公司").contacts.count() == 1
    assert Customer.objects.get(name="二号公司").owner == org["south_sales"]


def test_chunk_falls_back_row_by_row_on_integrity_error(org: dict[str, Any]) -> None:
    from visitflow.imports.planning import PlanContext, plan_rows

    sales = org["east_sales"]
    ctx = PlanContext(sales)
    plans = list(
        plan_rows(
            ctx, iter([(2, ["甲公司", "A"]), (3, ["乙公司", "A"])]), {"0": "name", "1": "level"}
        )
    )
    CustomerFactory(name="乙公司", owner=sales)  # created after the plan: the bulk insert fails
    job = ImportJob(pk=0)
    services._apply_chunk(plans, job)
    assert [p.action for p in plans] == ["create", "refuse"]
    assert Customer.objects.filter(name="甲公司").exists()


def test_mapping_needs_name_and_level_and_each_field_once(org: dict[str, Any]) -> None:
    sales = org["east_sales"]
    job = services.import_job_create(
        actor=sales, upload=upload(csv_bytes([["甲", "A"] + [""] * 6]))
    )
    with pytest.raises(ApplicationError) as exc:
        services.import_job_set_mapping(actor=sales, job=job, mapping={"2": "owner"})
    assert "Company name, Level" in str(exc.value.message)
    with pytest.raises(ApplicationError) as exc:
        services.import_job_set_mapping(
            actor=sales, job=job, mapping={"0": "name", "1": "level", "3": "name"}
        )
    assert "chosen for two columns" in str(exc.value.message)


def test_upload_refuses_too_large_and_header_only(org: dict[str, Any], settings: Any) -> None:
    sales = org["east_sales"]
    with pytest.raises(ApplicationError, match="no data rows"):
        services.import_job_create(actor=sales, upload=upload("客户名称,级别\n".encode()))
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ApplicationError, match="larger than"):
        services.import_job_create(actor=sales, upload=upload(csv_bytes([["甲", "A"]])))


def test_upload_keeps_the_file_under_a_server_name(org: dict[str, Any]) -> None:
    job = services.import_job_create(
        actor=org["east_sales"],
        upload=SimpleUploadedFile("../../etc/客户.csv", csv_bytes([["甲", "A"]])),
    )
    assert job.original_name.endswith("客户.csv")
    assert ".." not in job.file.name and "客户" not in job.file.name
    assert job.mapping["0"] == "name" and job.encoding == "utf-8"


def test_reception_may_not_import(org: dict[str, Any]) -> None:
    with pytest.raises(ApplicationError):
        services.import_job_create(actor=org["reception"], upload=upload(csv_bytes([["甲", "A"]])))


def test_import_cannot_start_twice(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    sales = org["east_sales"]
    job = checked(sales, csv_bytes([["甲公司", "A", "", "", "", "", "", ""]]))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(actor=sales, job=job)
    with pytest.raises(ApplicationError):
        services.import_job_start(actor=sales, job=job)
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_template_round_trips(org: dict[str, Any], language: str, file_format: str) -> None:
    from django.utils import translation

    from visitflow.imports.mapping import FIELDS
    from visitflow.imports.template_file import template_csv, template_xlsx

    sales = org["east_sales"]
    with translation.override(language):
        content = template_xlsx() if file_format == "xlsx" else template_csv()
        job = services.import_job_create(actor=sales, upload=upload(content, f"t.{file_format}"))
    assert sorted(job.mapping.values()) == sorted(f.key for f in FIELDS)
    job = services.import_job_set_mapping(actor=sales, job=job, mapping=job.mapping)
    job = services.import_job_dry_run(actor=sales, job=job)
    assert job.report == [{"row": 2, "name": "深圳市示例科技有限公司", "action": "create"}]


def test_a_stalled_import_runs_again_without_doubling_anything(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    sales = org["east_sales"]
    rows = [
        ["甲公司", "A", "", "", "王伟", "", "13812345678", ""],
        ["乙公司", "A", "", "", "", "", "", ""],
    ]
    job = checked(sales, csv_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(actor=sales, job=job)
    # As if the worker had died after its first chunk, long ago.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, updated=timezone.now() - timedelta(minutes=11)
    )
    job.refresh_from_db()
    assert job.is_stalled
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_resume(actor=sales, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.refused_count) == (0, 2, 0)
    assert Customer.objects.count() == 2
    assert Contact.objects.count() == 1


def test_a_running_import_is_not_resumed(org: dict[str, Any]) -> None:
    sales = org["east_sales"]
    job = checked(sales, csv_bytes([["甲公司", "A", "", "", "", "", "", ""]]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    job.refresh_from_db()
    with pytest.raises(ApplicationError, match="running"):
        services.import_job_resume(actor=sales, job=job)
