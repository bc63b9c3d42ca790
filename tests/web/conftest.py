"""Fixtures for the web app's tests: users and organisations, and a real browser.

Browser tests (mark them @pytest.mark.browser) take `page` (desktop) or `mobile_page` (390 px
wide), `live_server`, `sign_in(page, user)` and `check_page(page, name)`, which saves a
full-page screenshot to artifacts/screenshots/<name>.png and fails on any serious or critical
WCAG 2.2 AA problem axe-core finds, on any JavaScript error, and on any missing static file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct-horse-battery-staple"


# --- people and organisations -------------------------------------------------------------


@pytest.fixture
def make_member(db: Any) -> Callable[..., Any]:
    """make_member(email, org, role="admin") -> User: a user who belongs to org with role."""
    from keepitlocal.web.accounts.models import Membership, User

    def make(email: str, org: Any, role: str = "admin", password: str = PASSWORD) -> Any:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password,
                                            full_name=email.split("@")[0].title())
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    from keepitlocal.web.accounts.models import Organisation

    def make(name: str = "Calder Valley Community Trust", kind: str = "community") -> Any:
        return Organisation.objects.create(name=name, kind=kind, lad_code="E08000033")

    return make


@pytest.fixture
def org(make_org: Callable[..., Any]) -> Any:
    return make_org()


@pytest.fixture
def admin(make_member: Callable[..., Any], org: Any) -> Any:
    return make_member("admin@example.org", org, "admin")


@pytest.fixture
def client_for() -> Any:
    """client_for(user, org=None) -> a Client signed in as user, working in org."""

    def make(user: Any, org: Any = None, **options: Any) -> Client:
        client = Client(**options)
        client.force_login(user)
        if org is not None:
            session = client.session
            session["keepitlocal_org_id"] = org.pk
            session.save()
        return client

    return make


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _watched_page(browser: Any, **context_options: Any) -> Iterator[Any]:
    context = browser.new_context(**context_options)
    # Generous waits: a busy two-core machine can take many seconds to render a page; a real
    # fault still fails, only later.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)
    if AXE.exists():  # injected by the browser itself, so the pages' CSP does not block it
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.problems = []  # JavaScript errors, CSP refusals and failed static files (check_page)
    page.on("pageerror", lambda error: page.problems.append(f"JavaScript error: {error}"))

    def on_console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            page.problems.append(f"CSP refused: {message.text}")

    page.on("console", on_console)

    def on_response(response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            page.problems.append(f"{response.status} for {response.url}")

    page.on("response", on_response)
    yield page
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized page in a fresh browser context (no cookies)."""
    yield from _watched_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def mobile_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page (390 x 844, touch) in a fresh browser context."""
    yield from _watched_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
        is_mobile=True, has_touch=True,
    )


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, Any], None]:
    """sign_in(page, user): give the page's browser a signed-in session without the login form."""
    from django.conf import settings
    from django.test import Client

    def do(page: Any, user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return do


def _axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['failureSummary']!r}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the project folder")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def check_page(_axe_source: str) -> Callable[..., dict[str, Any]]:
    """check_page(page, name): screenshot the page, then fail on serious accessibility problems.

    Also fails when the page does not have exactly one <h1> and a <title>, when it is wider than
    the window (wrap wide tables in <div class="kil-table-wrap">), when JavaScript raised an
    error, or when a stylesheet, script or image failed to load. Returns axe's result.
    """

    def check(page: Any, name: str) -> dict[str, Any]:
        page.wait_for_load_state("load")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(_axe_source)  # a context of the test's own: evaluated, so CSP allows it
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            report = _axe_report(serious)
            print(f"axe violations on {name} ({page.url}):\n{report}")
            pytest.fail(f"{name}: {len(serious)} serious or critical axe violations\n{report}")
        problems = [*getattr(page, "problems", [])]
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            problems.append(f"the page is {overflow}px wider than the window (WCAG 1.4.10 reflow)")
        if page.locator("h1").count() != 1:
            problems.append(f"{page.locator('h1').count()} <h1> elements (want exactly 1)")
        if not page.title().strip():
            problems.append("no <title>")
        if problems:
            pytest.fail(f"{name} ({page.url}): " + "; ".join(problems))
        return result

    return check


@pytest.fixture
def email_link(mailoutbox: list[Any]) -> Callable[[str], str]:
    """email_link(prefix): the first link starting with prefix in the last e-mail sent."""

    def find(prefix: str) -> str:
        assert mailoutbox, "no e-mail was sent"
        body = mailoutbox[-1].body
        for word in body.split():
            if word.startswith(prefix):
                return word
        raise AssertionError(f"no link starting with {prefix} in:\n{body}")

    return find


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Each test starts with empty rate-limit counters (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
