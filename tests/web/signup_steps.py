"""The e-mailed half of signing up, shared by the browser tests that sign up."""

from __future__ import annotations

from typing import Any

from .conftest import PASSWORD


def finish_signup(page: Any, email_link: Any, live_server: Any) -> None:
    """From the 'check your e-mail' page: open the link in the last e-mail, choose the password."""
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    page.goto(email_link(f"{live_server.url}/accounts/signup/"))
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
