"""Playwright fixtures: one headless Chromium per session, a fresh context (cookies,
storage) per page a test opens, against pytest-django's live server.

Every test here is transactional (see `_database`), and marked `browser`.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from visitflow.accounts.models import User

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("VISITFLOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Chinese display names, so screenshots look like the real thing and any English on a
# page is the application's, not the test data's.
DISPLAY_NAMES = {
    "east_manager": "王建国",
    "south_manager": "陈志强",
    "east_sales": "张伟",
    "east_sales2": "李娜",
    "south_sales": "刘洋",
    "director": "赵敏",
}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    # Keep each phase's report on the item, so fixtures can tell at teardown that the
    # test failed and save what the browser showed.
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


_reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture(scope="session")
def _playwright(django_db_setup: None) -> Iterator[Playwright]:
    # Playwright's sync API keeps an asyncio loop running in this thread for as long as
    # it is started. Django then takes every ORM call made here (test data, and the
    # flush between tests) for one made from async code and raises
    # SynchronousOnlyOperation. The calls really are synchronous, and the live server
    # runs in a thread of its own, so the check is switched off for exactly that span.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    snapshot = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    pw = sync_playwright().start()
    # With a loop running, Django keeps this thread's connections apart from the ones
    # made before (asgiref's Local turns into a context variable), so the connection
    # the tests use from now on is a new object. Hand it the snapshot of the migrated
    # database that django_db_setup took, or serialized rollback finds nothing to load.
    if snapshot is not None:
        connections[DEFAULT_DB_ALIAS]._test_serialized_contents = snapshot
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    expect.set_options(timeout=TIMEOUT_MS)
    yield browser
    browser.close()


@pytest.fixture(scope="package", autouse=True)
def _migrated_rows(_playwright: Playwright, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """These tests start from an empty database (serialized rollback then loads the
    migrated rows into it before each test) and leave behind the rows the migrations
    wrote, as any other transactional test expects to find them."""
    connection = connections[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock():
        # Another transactional test may have run before and left post_migrate's rows
        # (content types, groups) under new ids, which the snapshot would collide with.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        # This connection is the one made while Playwright runs; nobody else will close
        # it, and an open one keeps PostgreSQL from dropping the test database.
        connection.close()


@pytest.fixture(autouse=True)
def _database(transactional_db: None, django_db_serialized_rollback: None) -> None:
    """Committed data (the live server reads it from another thread). After each test
    the tables are emptied, and before the next the migrated rows (customer levels,
    role groups and their permissions) are loaded again: quicker than flush re-running
    post_migrate, and it brings back the levels, which only a data migration writes."""


@pytest.fixture
def org(org: dict[str, object]) -> dict[str, object]:
    """The shared `org`, with Chinese display names (there is no service for renaming
    a person yet; this is test data only)."""
    for key, display_name in DISPLAY_NAMES.items():
        user = org[key]
        assert isinstance(user, User)
        User.objects.filter(pk=user.pk).update(display_name=display_name)
        user.display_name = display_name
    return org


@pytest.fixture
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture
def new_page(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Open a page in a context of its own (another person, or the same one on a phone):
    `new_page()` for a desktop, `new_page(phone=True)` for a 390 px wide phone."""
    contexts: list[BrowserContext] = []

    def _open(*, phone: bool = False) -> Page:
        context = browser.new_context(
            base_url=base_url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            # The app ignores Accept-Language on purpose (Chinese first); a Chinese
            # browser is what the sales team uses anyway.
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open

    reports = request.node.stash.get(_reports_key, {})
    if any(r.failed for r in reports.values()):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=ARTIFACTS / f"{name}-{i}-{j}.png", full_page=True)
                except Exception as exc:  # the page may have crashed; keep tearing down
                    print(f"no failure screenshot for {name}: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def phone_page(new_page: Callable[..., Page]) -> Page:
    return new_page(phone=True)
