"""Steps the journeys share: logging in through the real form, screenshots to look at."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories.people import PASSWORD
from visitflow.accounts.models import User

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def log_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Log in through /accounts/login/ and wait for the start page."""
    submit_login(page, user.username, password)
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def submit_login(page: Page, username: str, password: str) -> int:
    """Fill in and send the log-in form; the HTTP status of the answer to the POST."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    form = page.locator("form").filter(has=page.locator("#id_password"))
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/accounts/login/")
    ) as answer:
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value.status


def log_out(page: Page, label: str) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name=label).click()
    expect(page.locator("#id_username")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot under test-artifacts/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


# Latin words a Chinese page may show: the product's name, the other language's name in
# the language menu, the customer level called VIP in Chinese too, and file formats.
LATIN_ALLOWED = frozenset({"VisitFlow", "English", "VIP", "PDF", "ics"})
_LATIN_WORDS_JS = """
() => {
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], [alt]")) {
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts.join("\\n").match(/[A-Za-z][A-Za-z'-]{2,}/g) || [];
}
"""


def english_on_page(page: Page, *, allowed: frozenset[str] = LATIN_ALLOWED) -> set[str]:
    """Words of three or more Latin letters on the page (text, title, placeholders,
    tooltips, labels for screen readers) that a Chinese page should not show."""
    return set(page.evaluate(_LATIN_WORDS_JS)) - allowed


def page_scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))
