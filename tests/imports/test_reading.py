import io

import pytest

from tests.imports.helpers import csv_bytes, xlsx_bytes
from visitflow.core.exceptions import ApplicationError
from visitflow.imports.mapping import suggest_mapping
from visitflow.imports.reading import read_table

ROWS = [["深圳市华强电子有限公司", "A", "", "深圳", "王伟", "采购经理", "13812345678", ""]]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gbk", "gb18030")],
)
def test_csv_in_each_encoding_reads_chinese(encoding: str, expected: str) -> None:
    table = read_table(io.BytesIO(csv_bytes(ROWS, encoding=encoding)))
    assert table.encoding == expected
    assert table.headers[0] == "客户名称"
    assert list(table.rows) == [(2, ROWS[0])]


def test_semicolon_csv_is_sniffed() -> None:
    raw = "客户名称;级别\n华强;A\n".encode()
    table = read_table(io.BytesIO(raw))
    assert table.headers == ["客户名称", "级别"]
    assert list(table.rows) == [(2, ["华强", "A"])]


def test_xlsx_numbers_become_text_and_blank_rows_keep_numbering() -> None:
    raw = xlsx_bytes(
        [["华强", "A", None, "深圳", "王伟", None, 13812345678, None], [None] * 8, ["B公司", "B"]]
    )
    table = read_table(io.BytesIO(raw))
    assert table.file_format == "xlsx"
    rows = list(table.rows)
    # Trailing empty cells are left off; the planner reads a short row as empty fields.
    assert rows[0] == (2, ["华强", "A", "", "深圳", "王伟", "", "13812345678"])
    assert rows[1][0] == 4


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty"),
        (b"\n\n,,\n", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"PK\x03\x04garbage-not-a-zip", "not a readable Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old Excel file"),
        (b"\xff\xfe\xfa\xfb\x80\x81", "could not be read"),
    ],
)
def test_bad_files_have_clear_messages(raw: bytes, message: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        read_table(io.BytesIO(raw))
    assert message in str(exc.value.message)


def test_suggested_mapping_from_chinese_and_english_headers() -> None:
    headers = ["公司名称", "Level", "销售", "E-mail", "手机号码", "whatever", "名称"]
    assert suggest_mapping(headers) == {
        "0": "name",
        "1": "level",
        "2": "owner",
        "3": "contact_email",
        "4": "contact_mobile",
    }


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ApplicationError, match="not a readable Excel workbook"):
        read_table(io.BytesIO(out.getvalue()))


def test_xlsx_inline_strings_booleans_and_float_phones() -> None:
    import zipfile

    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c><c r="C1" t="s"><v>0</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t> 华强 </t></is></c><c r="B3" t="b"><v>1</v></c>'
        '<c r="C3"><v>1.3812345678E10</v></c></row>'
        "</sheetData></worksheet>"
    )
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><r><t>手</t></r><r><t>机</t></r><rPh><t>ショウ</t></rPh></si></sst>"
    )
    workbook = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    table = read_table(io.BytesIO(out.getvalue()))
    assert table.headers == ["客户名称", "", "手机"]
    assert list(table.rows) == [(3, ["华强", "TRUE", "13812345678"])]


@pytest.mark.django_db
def test_mobile_prefix_memo_agrees_with_the_project_validator() -> None:
    from django.core.exceptions import ValidationError

    from tests.factories.people import make_user
    from visitflow.core.validators import normalize_phone
    from visitflow.imports.planning import PlanContext, _normalize_mobile

    ctx = PlanContext(make_user())
    numbers = [
        "13812345678",
        "+86 138-1234-0000",
        "8613912345678",
        "12012345678",
        "12012340000",
        "19912345678",
        "14012345678",
        "0755-12345678",
        "1381234567",
    ]
    for number in numbers:
        try:
            expected: str | None = normalize_phone(number)
        except ValidationError:
            expected = None
        try:
            got: str | None = _normalize_mobile(ctx, number)
        except ValidationError:
            got = None
        assert got == expected, number


def test_an_unreadable_csv_line_is_named() -> None:
    raw = ("客户名称,级别\n华强,A\n" + '"' + "x" * 200_000 + "\n").encode()
    table = read_table(io.BytesIO(raw))
    with pytest.raises(ApplicationError, match="Line 3 of the file could not be read"):
        list(table.rows)
