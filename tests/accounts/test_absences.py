"""Absences (SOP 5.2 出差): recorded by the person, their manager or an admin; bad dates
refused; the team calendar; the CSV import (all or nothing, each bad row by line)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import login
from visitflow.accounts.models import Absence, AbsenceKind
from visitflow.accounts.selectors_absences import (
    absence_list_for_user,
    absence_text,
    team_absence_calendar,
)
from visitflow.accounts.services_absences import (
    absence_create,
    absence_delete,
    absence_import_file,
    absence_update,
)
from visitflow.core.exceptions import ApplicationError
from visitflow.core.models import ActivityLog

pytestmark = pytest.mark.django_db


def trip(person, actor=None, start=date(2026, 12, 9), end=date(2026, 12, 12), **extra):
    return absence_create(
        actor=actor or person,
        person=person,
        kind=extra.pop("kind", AbsenceKind.BUSINESS_TRIP),
        destination=extra.pop("destination", "上海"),
        starts_on=start,
        ends_on=end,
        **extra,
    )


def test_a_salesperson_records_their_own_trip_audited(org):
    absence = trip(org["east_sales"])
    assert absence.created_by == org["east_sales"]
    assert ActivityLog.objects.filter(action="absence.created", object_id=str(absence.pk)).exists()
    assert "上海" in absence_text(absence)
    assert "2026-12-09" in absence_text(absence)


def test_an_absence_ending_before_it_starts_is_refused(org):
    with pytest.raises(ApplicationError) as exc:
        trip(org["east_sales"], start=date(2026, 12, 12), end=date(2026, 12, 9))
    assert "ends_on" in exc.value.field_errors
    assert not Absence.objects.exists()


def test_an_overlapping_absence_of_the_same_person_is_refused(org):
    trip(org["east_sales"])
    with pytest.raises(ApplicationError) as exc:
        trip(org["east_sales"], start=date(2026, 12, 11), end=date(2026, 12, 14))
    assert "2026-12-09" in str(exc.value.message)


@pytest.mark.parametrize(
    ("actor", "person", "allowed"),
    [
        ("east_sales", "east_sales", True),
        ("east_sales", "east_sales2", False),
        ("east_manager", "east_sales", True),
        ("east_manager", "south_sales", False),
        ("south_manager", "east_sales", False),
        ("admin", "south_sales", True),
        ("reception", "east_sales", False),
        ("driver", "driver", True),
    ],
)
def test_who_may_record_whose_absence(org, actor, person, allowed):
    if allowed:
        assert trip(org[person], actor=org[actor]).person == org[person]
    else:
        with pytest.raises(ApplicationError):
            trip(org[person], actor=org[actor])


def test_list_scope_own_team_all(org):
    mine = trip(org["east_sales"])
    colleague = trip(org["east_sales2"], start=date(2026, 12, 20), end=date(2026, 12, 21))
    other_team = trip(org["south_sales"])

    def ids(user):
        return set(absence_list_for_user(user).values_list("pk", flat=True))

    assert ids(org["east_sales"]) == {mine.pk}
    assert ids(org["east_manager"]) == {mine.pk, colleague.pk}
    assert ids(org["admin"]) == {mine.pk, colleague.pk, other_team.pk}


def test_update_and_delete_check_the_actor(org):
    absence = trip(org["east_sales"])
    with pytest.raises(ApplicationError):
        absence_update(actor=org["east_sales2"], absence=absence, data={"destination": "北京"})
    absence_update(actor=org["east_manager"], absence=absence, data={"destination": "北京"})
    absence.refresh_from_db()
    assert absence.destination == "北京"
    with pytest.raises(ApplicationError):
        absence_delete(actor=org["south_manager"], absence=absence)
    absence_delete(actor=org["east_sales"], absence=absence)
    assert not Absence.objects.exists()


def test_team_calendar_marks_the_days_away(org, django_assert_max_num_queries):
    trip(org["east_sales"])
    with django_assert_max_num_queries(3):
        calendar = team_absence_calendar(
            org["east_manager"],
            first_day=date(2026, 12, 1),
            last_day=date(2026, 12, 31),
            team=org["east"],
        )
    rows = {row.person.pk: row for row in calendar.rows}
    assert set(rows) == {org["east_manager"].pk, org["east_sales"].pk, org["east_sales2"].pk}
    cells = rows[org["east_sales"].pk].cells
    assert [i + 1 for i, cell in enumerate(cells) if cell] == [9, 10, 11, 12]
    assert calendar.away_count == 1


# --- Import ------------------------------------------------------------------------------


def _csv(org, *lines: str, encoding: str = "utf-8") -> bytes:
    return (
        "\n".join(lines)
        .format(**{k: getattr(v, "username", "") for k, v in org.items()})
        .encode(encoding)
    )


def test_import_good_file_in_gbk_with_chinese_headers(org):
    content = _csv(
        org,
        "用户名,类型,目的地,开始日期,结束日期,备注",
        "{east_sales},出差,上海,2026-12-09,2026-12-12,展会",
        "{east_sales2},请假,,2026/12/20,2026/12/21,",
        encoding="gb18030",
    )
    result = absence_import_file(actor=org["east_manager"], content=content)
    assert result.errors == []
    assert len(result.created) == 2
    assert Absence.objects.get(person=org["east_sales2"]).kind == AbsenceKind.LEAVE


def test_import_reports_every_bad_row_by_line_and_saves_nothing(org):
    content = _csv(
        org,
        "username,kind,destination,starts_on,ends_on,note",
        "{east_sales},business trip,上海,2026-12-09,2026-12-12,",
        "{south_sales},trip,广州,2026-12-09,2026-12-12,",
        "{east_sales2},holiday,,2026-12-20,2026-12-21,",
        "{east_sales2},leave,,2026-12-21,2026-12-20,",
        "{east_sales2},leave,,tomorrow,2026-12-20,",
        "{east_sales},trip,北京,2026-12-11,2026-12-13,",
    )
    result = absence_import_file(actor=org["east_manager"], content=content)
    lines = [e.line for e in result.errors]
    assert lines == [3, 4, 5, 6, 7]
    messages = {e.line: e.message for e in result.errors}
    assert org["south_sales"].username in messages[3]
    assert "holiday" in messages[4]
    assert "tomorrow" in messages[6]
    assert "2026-12-09" in messages[7]  # overlaps the trip on line 2 of the same file
    assert result.created == []
    assert not Absence.objects.exists()


def test_import_refuses_a_file_without_the_columns(org):
    with pytest.raises(ApplicationError):
        absence_import_file(actor=org["east_sales"], content=b"name,date\nx,y\n")


# --- Views -------------------------------------------------------------------------------


def test_absence_pages_create_edit_delete(org):
    client = login(org["east_sales"])
    assert client.get(reverse("accounts:absence_list")).status_code == 200
    response = client.post(
        reverse("accounts:absence_create"),
        {
            "person": org["east_sales"].pk,
            "kind": "business_trip",
            "destination": "上海",
            "starts_on": "2026-12-12",
            "ends_on": "2026-12-09",
        },
    )
    assert response.status_code == 422
    assert "上海" in response.content.decode()  # what was typed is kept
    response = client.post(
        reverse("accounts:absence_create"),
        {
            "person": org["east_sales"].pk,
            "kind": "business_trip",
            "destination": "上海",
            "starts_on": "2026-12-09",
            "ends_on": "2026-12-12",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    other = login(org["east_sales2"])
    assert other.get(reverse("accounts:absence_edit", args=[absence.pk])).status_code == 404
    assert other.post(reverse("accounts:absence_delete", args=[absence.pk])).status_code == 404
    assert client.post(reverse("accounts:absence_delete", args=[absence.pk])).status_code == 302
    assert not Absence.objects.exists()


def test_a_person_cannot_record_for_someone_else_through_the_form(org):
    client = login(org["east_sales"])
    response = client.post(
        reverse("accounts:absence_create"),
        {
            "person": org["east_sales2"].pk,
            "kind": "leave",
            "starts_on": "2026-12-09",
            "ends_on": "2026-12-12",
        },
    )
    assert response.status_code == 422
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("east_manager", 200), ("admin", 200), ("east_sales", 403), ("reception", 403)],
)
def test_team_calendar_page_for_managers_and_admins(org, role, status):
    trip(org["east_sales"])
    response = login(org[role]).get(reverse("accounts:absence_calendar") + "?month=2026-12")
    assert response.status_code == status
    if status == 200 and role == "east_manager":
        assert response.content.decode().count('data-testid="away-cell"') == 4


def test_import_page_says_nothing_was_saved(org):
    client = login(org["east_manager"])
    upload = SimpleUploadedFile(
        "trips.csv",
        _csv(org, "username,starts_on,ends_on", "{east_sales},2026-12-09,2026-12-08"),
        content_type="text/csv",
    )
    response = client.post(reverse("accounts:absence_import"), {"file": upload})
    assert response.status_code == 422
    assert 'data-testid="import-errors"' in response.content.decode()
    assert not Absence.objects.exists()


def test_absence_list_query_count_is_constant(org, django_assert_max_num_queries):
    client = login(org["east_manager"])
    for day in range(1, 4):
        trip(org["east_sales"], start=date(2027, 1, day * 3), end=date(2027, 1, day * 3 + 1))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("accounts:absence_list"))
    for day in range(1, 10):
        trip(org["east_sales2"], start=date(2027, 2, day * 2), end=date(2027, 2, day * 2))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("accounts:absence_list"))


@pytest.mark.parametrize("name", ["accounts_absence", "visits_coverrequest"])
def test_admin_lists_absences_and_cover_read_only(org, name):
    trip(org["east_sales"])
    url = reverse(f"admin:{name}_changelist")
    assert login(org["admin"]).get(url).status_code == 200
    assert login(org["east_manager"]).get(url).status_code == 302
    add = reverse(f"admin:{name}_add")
    assert login(org["admin"]).get(add).status_code == 403


def _xlsx(rows: list[list[object]]) -> bytes:
    import io
    from datetime import datetime

    openpyxl = __import__("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(
            [datetime.combine(v, datetime.min.time()) if isinstance(v, date) else v for v in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_an_excel_workbook_with_date_cells(org):
    content = _xlsx(
        [
            ["用户名", "类型", "目的地", "开始日期", "结束日期", "备注"],
            [
                org["east_sales"].username,
                "出差",
                "上海",
                date(2026, 12, 9),
                date(2026, 12, 12),
                "展会",
            ],
            [org["east_sales2"].username, "请假", None, "2026-12-20", "2026-12-21", None],
        ]
    )
    result = absence_import_file(actor=org["east_manager"], content=content)
    assert result.errors == [] and len(result.created) == 2
    trip_row = Absence.objects.get(person=org["east_sales"])
    assert (trip_row.starts_on, trip_row.ends_on, trip_row.destination) == (
        date(2026, 12, 9),
        date(2026, 12, 12),
        "上海",
    )


def test_a_bad_excel_row_is_named_by_its_line_and_nothing_is_saved(org):
    content = _xlsx(
        [
            ["username", "starts_on", "ends_on"],
            [org["east_sales"].username, date(2026, 12, 9), date(2026, 12, 12)],
            [org["east_sales2"].username, date(2026, 12, 12), date(2026, 12, 9)],
        ]
    )
    result = absence_import_file(actor=org["east_manager"], content=content)
    assert [e.line for e in result.errors] == [3]
    assert not Absence.objects.exists()


def test_a_damaged_workbook_is_refused_with_a_message(org):
    with pytest.raises(ApplicationError):
        absence_import_file(actor=org["east_sales"], content=b"PK\x03\x04 not really a zip")
