"""Load on the LM3 supplier survey, served by gunicorn on loopback, on SQLite and on PostgreSQL.

Many suppliers answer at once through their own e-mailed links (a GET for the form and its CSRF
token, then the POST); a tenth of them answer twice at the same moment with different values, as
a supplier correcting itself from two tabs would. After the run every answer is counted: one
response per supplier, none lost, none duplicated, each equal to one of the values sent.
Then the time to queue and to send invitations to 140,000 suppliers (seed 001 line 1903) with the
file e-mail backend, run by the real worker (`db_worker --batch`).

    uv run python benchmarks/bench_survey_load.py [--suppliers 2000] [--concurrency 32]
        [--invitations 140000] [--no-postgres] [--workers 4] [--threads 1]

Each database runs in its own process (the PostgreSQL one inside scripts/with-postgres); the
figures are printed side by side. The only traffic is to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_TIMEOUT = 30  # seconds: every request is bounded, so the run always ends


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure(data_dir: Path) -> dict[str, str]:
    """Production-like settings for this run (DEBUG off, file e-mail, database task queue)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "keepitlocal.web.settings",
        "KEEPITLOCAL_DATA_DIR": str(data_dir),
        "KEEPITLOCAL_SECRET_KEY": secrets.token_urlsafe(50),
        "KEEPITLOCAL_HTTPS": "false",
        "KEEPITLOCAL_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "KEEPITLOCAL_EMAIL_BACKEND": "file",
        "KEEPITLOCAL_TASKS_BACKEND": "database",
        "KEEPITLOCAL_STATIC_FROM_APPS": "true",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def make_project(name: str, suppliers: int):  # type: ignore[no-untyped-def]
    from keepitlocal.web.accounts.models import Organisation
    from keepitlocal.web.lm3.models import Lm3Project, Supplier

    org, _ = Organisation.objects.get_or_create(name="Load test trust", kind="community")
    project = Lm3Project.objects.create(
        organisation=org, name=name, area_kind="lad", area_lads=["E08000033"]
    )
    Supplier.objects.bulk_create(
        (
            Supplier(
                project=project,
                name=f"Supplier {i:06d} Ltd",
                email=f"s{i}@example.org",
                postcode="HX1 2JJ",
                local=i % 2 == 0,
                spend=Decimal(1000 + i),
            )
            for i in range(suppliers)
        ),
        batch_size=5000,
    )
    return org, project


def answer(base: str, token: str, staff: int, supply: int) -> tuple[float, float, int]:
    """One supplier: GET the survey, POST its answer. Returns GET and POST seconds, POST status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
    )
    url = f"{base}/lm3/survey/{token}/"
    start = time.perf_counter()
    with opener.open(url, timeout=REQUEST_TIMEOUT) as response:
        page = response.read().decode()
    got = time.perf_counter() - start
    match = CSRF.search(page)
    if match is None:
        raise RuntimeError(f"no CSRF token on {url}")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": match.group(1),
            "local_staff_percent": staff,
            "local_supplier_percent": supply,
            "respondent": "Load test",
        }
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return got, time.perf_counter() - start, status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Count the POST's own 302, not the page it redirects to."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def survey_load(
    env: dict[str, str], suppliers: int, concurrency: int, workers: int, threads: int
) -> dict[str, object]:
    from keepitlocal.web.lm3.models import SURVEY_PURPOSE, Supplier, SupplierResponse
    from keepitlocal.web.surveys.services import links_issue_many

    org, project = make_project("Survey load", suppliers)
    rows = list(Supplier.objects.filter(project=project))
    tokens = [token for _, token in links_issue_many(rows, SURVEY_PURPOSE, org)]
    # every supplier answers once; each tenth also answers a second time, at the same moment
    jobs = [(token, 10 + i % 50, i % 40) for i, token in enumerate(tokens)]
    jobs += [(token, 5, 5) for token in tokens[::10]]
    jobs.sort(key=lambda job: job[0])  # the two answers of one supplier run side by side
    sent: dict[str, set[tuple[int, int]]] = {}
    for token, staff, supply in jobs:
        sent.setdefault(token, set()).add((staff, supply))

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "keepitlocal.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/about/", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.3)
        statuses: dict[int, int] = {}
        gets: list[float] = []
        posts: list[float] = []
        lock = threading.Lock()

        def run(job: tuple[str, int, int]) -> None:
            got, posted, status = answer(base, *job)
            with lock:
                gets.append(got)
                posts.append(posted)
                statuses[status] = statuses.get(status, 0) + 1

        def fetch_about(_: int) -> None:
            with urllib.request.urlopen(f"{base}/about/", timeout=REQUEST_TIMEOUT) as response:
                response.read()

        # baseline on the same server stack and shared machine: a public page, no survey work
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(fetch_about, range(len(jobs) * 2)))
        baseline = len(jobs) * 2 / (time.perf_counter() - start)
        # the client threads run on the same cores as the server: measure what they take
        client_cpu = time.process_time()
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(run, jobs))
        elapsed = time.perf_counter() - start
        client_cpu = time.process_time() - client_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    responses = SupplierResponse.objects.filter(supplier__project=project)
    by_supplier = {r.supplier_id: r for r in responses}
    token_of = dict(zip((row.pk for row in rows), tokens, strict=True))
    wrong = sum(
        1
        for pk, r in by_supplier.items()
        if (int(r.local_staff_share * 100), int(r.local_supplier_share * 100))
        not in sent[token_of[pk]]
    )
    return {
        "requests": len(jobs) * 2,
        "answers_sent": len(jobs),
        "seconds": elapsed,
        "answers_per_second": len(jobs) / elapsed,
        "baseline_requests_per_second": baseline,
        "post_p50_ms": statistics.median(posts) * 1000,
        "post_p99_ms": percentile(posts, 0.99) * 1000,
        "get_p50_ms": statistics.median(gets) * 1000,
        "get_p99_ms": percentile(gets, 0.99) * 1000,
        "statuses": statuses,
        "client_cpu_share": client_cpu / (elapsed * (os.cpu_count() or 1)),
        "suppliers": suppliers,
        "responses_stored": responses.count(),
        "suppliers_with_a_response": len(by_supplier),
        "responses_not_matching_a_sent_answer": wrong,
    }


def invitations(env: dict[str, str], suppliers: int, data_dir: Path) -> dict[str, object]:
    from keepitlocal.web.lm3.services import invitations_send
    from keepitlocal.web.surveys.models import SurveyLink

    start = time.perf_counter()
    _, project = make_project("Invitations", suppliers)
    created = time.perf_counter() - start
    start = time.perf_counter()
    queued = invitations_send(project, base_url="http://127.0.0.1")
    queue_seconds = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "keepitlocal.web.manage", "db_worker", "--batch"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    send_seconds = time.perf_counter() - start
    separator = "-" * 79
    messages = sum(
        path.read_text(errors="replace").count(separator)
        for path in (data_dir / "mail").glob("*.log")
    )
    return {
        "suppliers": suppliers,
        "create_suppliers_seconds": created,
        "queued": queued,
        "queue_seconds": queue_seconds,
        "send_seconds": send_seconds,
        "emails_written": messages,
        "links_issued": SurveyLink.objects.filter(group=project.survey_group).count(),
    }


def leg(args: argparse.Namespace) -> None:
    """Runs in a child process, against the database DATABASE_URL names (SQLite if none)."""
    data_dir = Path(tempfile.mkdtemp(prefix="klm-load-"))
    env = configure(data_dir)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    result = {
        "database": connection.vendor,
        "survey": survey_load(env, args.suppliers, args.concurrency, args.workers, args.threads),
        "invitations": invitations(env, args.invitations, data_dir),
    }
    print("RESULT " + json.dumps(result))


def run_leg(args: argparse.Namespace, postgres: bool) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--leg",
        "--suppliers",
        str(args.suppliers),
        "--concurrency",
        str(args.concurrency),
        "--invitations",
        str(args.invitations),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
    ]
    env = dict(os.environ)
    if postgres:
        command = ["bash", str(ROOT / "scripts" / "with-postgres"), *command]
    else:
        env.pop("DATABASE_URL", None)
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(
        f"the {'PostgreSQL' if postgres else 'SQLite'} run failed:\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--invitations", type=int, default=140_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README: 4)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (README: 1, gunicorn's sync worker)")
    parser.add_argument("--leg", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg:
        leg(args)
        return
    results = [run_leg(args, postgres=False)]
    if not args.no_postgres:
        results.append(run_leg(args, postgres=True))

    print(
        f"Survey answers: {args.suppliers:,} suppliers, one in ten answering twice at once, "
        f"{args.concurrency} concurrent clients, gunicorn {args.workers} workers x "
        f"{args.threads} threads\n"
        "about/s: GET /about/ per second on the same server just before; ratio: survey "
        "requests per second / about/s; client CPU: share of the machine's "
        f"{os.cpu_count()} cores the load client itself used\n"
        "(the client runs on the same cores as the server and takes that share from it)"
    )
    print(
        f"{'database':<12}{'answers/s':>10}{'POST p50':>10}{'POST p99':>10}{'GET p50':>9}"
        f"{'GET p99':>9}{'stored':>8}{'lost':>6}{'dup':>5}{'wrong':>6}{'about/s':>9}{'ratio':>7}"
        f"{'client CPU':>11}  statuses"
    )
    for result in results:
        s = result["survey"]
        lost = s["suppliers"] - s["suppliers_with_a_response"]
        dup = s["responses_stored"] - s["suppliers_with_a_response"]
        print(
            f"{result['database']:<12}{s['answers_per_second']:>10.1f}"
            f"{s['post_p50_ms']:>8.0f}ms{s['post_p99_ms']:>8.0f}ms{s['get_p50_ms']:>7.0f}ms"
            f"{s['get_p99_ms']:>7.0f}ms{s['responses_stored']:>8}{lost:>6}{dup:>5}"
            f"{s['responses_not_matching_a_sent_answer']:>6}"
            f"{s['baseline_requests_per_second']:>9.0f}"
            f"{2 * s['answers_per_second'] / s['baseline_requests_per_second']:>7.2f}"
            f"{s['client_cpu_share']:>11.0%}"
            f"  {s['statuses']}"
        )
    if len(results) == 2:
        ratio = (
            results[1]["survey"]["answers_per_second"] / results[0]["survey"]["answers_per_second"]
        )
        print(f"PostgreSQL / SQLite throughput: {ratio:.2f}")
    print(
        f"\nInvitations to {args.invitations:,} suppliers (file e-mail backend, db_worker --batch)"
    )
    print(f"{'database':<12}{'queue':>9}{'send':>9}{'e-mails':>9}{'links':>9}{'per second':>12}")
    for result in results:
        i = result["invitations"]
        print(
            f"{result['database']:<12}{i['queue_seconds']:>8.1f}s{i['send_seconds']:>8.1f}s"
            f"{i['emails_written']:>9}{i['links_issued']:>9}"
            f"{i['emails_written'] / i['send_seconds']:>12.0f}"
        )


if __name__ == "__main__":
    main()
