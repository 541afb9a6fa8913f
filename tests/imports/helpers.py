import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = ["客户名称", "级别", "负责人", "城市", "联系人", "职务", "手机", "邮箱"]


def csv_bytes(
    rows: list[list[str]], *, encoding: str = "utf-8", headers: list[str] | None = None
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers or HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "customers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
