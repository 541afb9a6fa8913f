"""Importing customers through the pages: upload, fix the mapping, check, import, see."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, screenshot
from visitflow.accounts.models import User
from visitflow.customers.models import Customer

pytestmark = [pytest.mark.browser]

ROWS = [
    ["深圳市华强电子有限公司", "A", "深圳", "王伟", "13812345678"],
    ["杭州西湖智能科技有限公司", "VIP", "杭州", "陈静", "139 1234 5678"],
    ["宁波海天塑料有限公司", "B", "宁波", "李娜", "12345"],
]


def test_import_with_one_bad_row_after_fixing_the_mapping(
    page: Page, org: dict, tmp_path: Path, settings: object
) -> None:
    settings.IMPORT_ROOT = tmp_path / "imports"  # type: ignore[attr-defined]
    sales: User = org["east_sales"]
    sales.language = "en"
    sales.save(update_fields=["language"])
    # "备注" (notes) holds the cities: the suggested mapping is wrong for that column.
    lines = ["客户名称,级别,备注,联系人,手机", *(",".join(row) for row in ROWS)]
    path = tmp_path / "客户.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))

    log_in(page, sales)
    page.goto("/customers/")
    page.get_by_test_id("import-customers").click()
    expect(page).to_have_url(re.compile(r"/imports/new/$"))
    page.locator("#id_file").set_input_files(path)
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/mapping/$"))
    expect(page.locator("#id_col_2")).to_have_value("notes")

    # First without the company name: the page says so and keeps the other choices.
    page.locator("#id_col_0").select_option("")
    page.locator("#id_col_2").select_option("city")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Choose a column for: Company name.")
    expect(page.locator("#id_col_2")).to_have_value("city")
    screenshot(page, "imports-mapping-error")

    page.locator("#id_col_0").select_option("name")
    page.get_by_role("button", name="Check the rows").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    table = page.get_by_test_id("report-table")
    expect(table.locator('tr[data-action="create"]')).to_have_count(2)
    refused = table.locator('tr[data-action="refuse"]')
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("4")
    expect(refused).to_contain_text("not a valid phone number")
    screenshot(page, "imports-dry-run")
    assert not Customer.objects.exists()

    page.get_by_role("button", name=re.compile(r"Import 2 rows")).click()
    expect(page.get_by_test_id("import-status")).to_have_text("Done", timeout=30_000)
    expect(page.get_by_test_id("import-counts")).to_contain_text("2")
    screenshot(page, "imports-done")
    page.get_by_role("link", name="See the customers").click()
    customers = page.get_by_test_id("customer-table")
    expect(customers).to_contain_text("深圳市华强电子有限公司")
    expect(customers).to_contain_text("杭州西湖智能科技有限公司")
    expect(customers).not_to_contain_text("宁波海天塑料有限公司")
    expect(customers).to_contain_text("杭州")
    assert (
        Customer.objects.get(name="杭州西湖智能科技有限公司").contacts.get().mobile
        == "+8613912345678"
    )
