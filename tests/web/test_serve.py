"""`keepitlocal serve` and the demo data set."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from keepitlocal.web.accounts.models import Membership, Organisation, User
from keepitlocal.web.demo import DemoData, load_demo, loader

ROOT = Path(__file__).resolve().parents[2]


def test_load_demo_is_idempotent(db):
    first = load_demo()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    second = load_demo()
    assert counts == (Organisation.objects.count(), User.objects.count(),
                      Membership.objects.count()) == (2, 2, 3)  # + the council's second rater
    assert first.anchor == second.anchor and first.anchor.lad_code == "E08000033"
    assert first.anchor.name == "Calder Valley Community Trust"
    assert first.password != second.password
    assert second.user.check_password(second.password)
    assert Membership.objects.get(user=second.user, organisation=second.anchor).role == "admin"


def test_registered_demo_loaders_run(db):
    seen: list[DemoData] = []

    @loader
    def record(data: DemoData) -> None:
        seen.append(data)

    try:
        data = load_demo()
        assert seen == [data]
    finally:
        from keepitlocal.web import demo

        demo._loaders.remove(record)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bool]:
    """Status and whether the page says "Sign in", retrying while the server starts."""
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, b"Sign in" in response.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_demo_starts_on_sqlite_with_no_setup(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KEEPITLOCAL_")
           and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["KEEPITLOCAL_DATA_DIR"] = str(tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-c", "from keepitlocal.cli import main; main()",
         "serve", "--demo", "--port", str(port)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        output = ""
        # A guard against a hang, not a speed check: a busy machine may take minutes to build
        # the postcode store and load the demo.
        deadline = time.monotonic() + 600
        while "Open http" not in output:
            line = process.stdout.readline()
            assert line or process.poll() is None, output
            output += line
            assert time.monotonic() < deadline, output
        match = re.search(r"Sign in as (\S+) with the password (\S+)", output)
        assert match and match.group(1) == "demo@example.org", output
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/accounts/login/") == (200, True)
        assert _get(f"{base}/static/govuk/govuk-frontend.min.css")[0] == 200
        data_dir = tmp_path / "data"
        assert (data_dir / "keepitlocal.sqlite3").exists()
        secret = data_dir / "secret_key"
        assert secret.stat().st_mode & 0o077 == 0 and len(secret.read_text()) >= 50
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
