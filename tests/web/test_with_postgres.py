"""The throwaway PostgreSQL of scripts/with-postgres: UTF-8 with no locale set, no TCP port."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import os, dj_database_url, psycopg
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"], user=cfg["USER"], dbname=cfg["NAME"]) as c:
    print(c.execute("SELECT pg_encoding_to_char(encoding) FROM pg_database "
                    "WHERE datname = current_database()").fetchone()[0])
    print(repr(c.execute("SHOW listen_addresses").fetchone()[0]))
    print(cfg["HOST"])
"""


@pytest.mark.skipif(not Path("/usr/lib/postgresql/15/bin/initdb").exists()
                    or shutil.which("bash") is None, reason="PostgreSQL 15 is not installed")
def test_cluster_is_utf8_without_a_locale_and_listens_on_a_socket_only() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_CTYPE")}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "with-postgres"), sys.executable,
                           "-c", PROBE], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    encoding, listen, host = done.stdout.split("\n")[:3]
    assert encoding == "UTF8"
    assert listen == "''"  # no TCP listener at all
    assert host.startswith("/") and "keepitlocal-pg" in host
    assert not Path(host).exists()  # the cluster and its folder are gone afterwards
