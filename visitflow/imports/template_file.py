"""The downloadable template: our columns, headed in the user's language, and one example."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from visitflow.imports.mapping import FIELDS

EXAMPLE = {
    "name": "深圳市示例科技有限公司",
    "short_name": "示例科技",
    "level": "A",
    "owner": "",
    "industry": "电子制造",
    "region": "广东",
    "city": "深圳",
    "address": "南山区科技园南区 1 号",
    "notes": "",
    "contact_name": "王伟",
    "contact_title": "采购经理",
    "contact_mobile": "13812345678",
    "contact_email": "wang.wei@example.com",
    "contact_wechat": "wangwei_sz",
    "contact_features": "高个子，戴眼镜",
}


def template_headers() -> list[str]:
    return [str(f.label) for f in FIELDS]


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet(index=0)
    for other in workbook.worksheets[1:]:
        workbook.remove(other)
    sheet.append(template_headers())
    sheet.append([EXAMPLE[f.key] for f in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = 18
    # Phone numbers as text: Excel must not turn 13812345678 into 1.38E+10.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_headers())
    writer.writerow([EXAMPLE[f.key] for f in FIELDS])
    # With a BOM: Excel opens UTF-8 CSV correctly only then.
    return out.getvalue().encode("utf-8-sig")
