"""The inbox journey: a reminder (planned and sent by the reminder engine) shows up on the
bell without reloading the page, is opened from the inbox and marked read, and the badge
goes away."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, screenshot
from tests.factories.visits import local, make_ready_visit
from visitflow.notifications.models import Delivery, WebhookEndpoint, WebhookKind
from visitflow.notifications.services import notify
from visitflow.reminders.models import Reminder
from visitflow.reminders.services import reminders_plan, reminders_send

pytestmark = pytest.mark.browser


def test_badge_appears_without_reload_and_clears_when_read(
    page: Page, new_page: Callable[..., Page], org: dict[str, Any], settings: Any
) -> None:
    settings.NOTIFICATION_POLL_SECONDS = 1
    user = org["east_sales"]
    log_in(page, user)
    bell = page.get_by_test_id("inbox-bell")
    expect(bell).to_be_attached()
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)
    # Mark the page: a reload would lose this, so seeing it later proves there was none.
    page.evaluate("window.__noReload = true")

    notify(
        recipient=user,
        kind="return_call_due",
        title="回访提醒：上海东方机械有限公司",
        body="客户已于昨天到家，请今天完成回访电话。",
        link="/visits/",
    )
    # A real reminder through the engine: the briefing of a visit, an hour before it is due.
    visit = make_ready_visit(actor=user)
    briefing = visit.steps.get(playbook_step__code="briefing")
    reminders_plan(now=local(2026, 12, 8, 8, 1))
    reminder = Reminder.objects.get(kind="step_due", source=f"step:{briefing.pk}")
    assert reminders_send(reminder_ids=[reminder.pk], now=local(2026, 12, 8, 8, 1)) == 1

    expect(page.get_by_test_id("inbox-badge")).to_have_text("2")
    assert page.evaluate("window.__noReload") is True

    page.get_by_test_id("inbox-bell").get_by_role("link").click()
    expect(page.get_by_test_id("notification")).to_have_count(2)
    screenshot(page, "notifications_inbox")

    # Mark one read in place (htmx); the badge follows at once.
    first = page.get_by_test_id("notification").filter(has_text="接待前沟通")
    first.get_by_test_id("mark-read").click()
    expect(first.get_by_test_id("mark-read")).to_have_count(0)
    expect(page.get_by_test_id("inbox-badge")).to_have_text("1")

    # The same inbox on a phone: the bell sits in the collapsed menu, rows stay readable.
    phone = new_page(phone=True)
    log_in(phone, user)
    phone.goto("/notifications/")
    expect(phone.get_by_test_id("notification")).to_have_count(2)
    # The bell is inside the collapsed menu; a dot on the menu button shows there is news.
    expect(phone.get_by_test_id("inbox-badge")).to_be_attached()
    dot = phone.evaluate(
        "getComputedStyle(document.querySelector('.navbar-toggler'), '::after').content"
    )
    assert dot == '""'

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "notifications_inbox_phone")

    # Opening the other one reads it and follows its link.
    page.get_by_role("link", name="回访提醒：上海东方机械有限公司").click()
    page.wait_for_url("**/visits/")
    expect(page.get_by_test_id("inbox-bell")).to_be_attached()
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)


def test_settings_page_and_bots(page: Page, org: dict[str, Any]) -> None:
    admin = org["admin"]
    WebhookEndpoint.objects.create(
        kind=WebhookKind.WECOM,
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo",
        team=org["east"],
        is_active=False,
    )
    log_in(page, org["east_sales"])
    page.goto("/notifications/settings/")
    expect(page.get_by_test_id("preferences-form")).to_be_visible()
    page.locator("#id_step_due__email").check()
    page.get_by_test_id("save-preferences").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#id_step_due__email")).to_be_checked()

    # A bad address is refused where it was typed.
    page.locator("#id_bot-url").fill("ftp://example.com/hook")
    page.get_by_test_id("bot-form").get_by_role("button").click()
    expect(page.locator("#id_bot-url")).to_have_class(re.compile(r"\bis-invalid\b"))
    screenshot(page, "notifications_settings")

    page.context.clear_cookies()
    log_in(page, admin)
    page.goto("/notifications/webhooks/")
    expect(page.get_by_test_id("webhook-table")).to_contain_text(org["east"].name)
    screenshot(page, "notifications_team_bots")
    sent = notify(
        recipient=org["east_manager"], kind="step_escalated", title="超时升级：回访未完成", body=""
    )
    failed = notify(recipient=org["east_sales"], kind="daily_digest", title="今日安排", body="")
    assert sent is not None and failed is not None
    Delivery.objects.create(
        notification=sent, channel="email", status="sent", attempts=1, sent_at=sent.created
    )
    Delivery.objects.create(
        notification=failed,
        channel="dingtalk",
        status="failed",
        attempts=5,
        last_error="The bot answered error 310000: sign not match",
    )
    page.goto("/notifications/deliveries/")
    expect(page.get_by_test_id("delivery-table")).to_contain_text("310000")
    page.get_by_role("link", name=re.compile("Failed|失败")).click()
    expect(page.get_by_test_id("retry")).to_have_count(1)
    screenshot(page, "notifications_deliveries")
