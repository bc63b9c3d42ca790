"""`keepitlocal serve`: the web app on this computer, with no set-up; `keepitlocal manage`: Django's
management commands (migrate, db_worker, createsuperuser...) for production installs."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

SETTINGS = "keepitlocal.web.settings"


def data_dir() -> Path:
    path = Path(os.environ.get("KEEPITLOCAL_DATA_DIR") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_secret_key(directory: Path) -> str:
    """The secret key kept in the data folder, made on first use, readable by its owner only."""
    path = directory / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def embedded_environment(host: str) -> Path:
    """Set the embedded defaults, leaving any variable the user has already set alone."""
    directory = data_dir()
    os.environ["KEEPITLOCAL_DATA_DIR"] = str(directory)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if not os.environ.get("KEEPITLOCAL_SECRET_KEY"):
        os.environ["KEEPITLOCAL_SECRET_KEY"] = local_secret_key(directory)
    os.environ.setdefault("KEEPITLOCAL_HTTPS", "false")
    os.environ.setdefault("KEEPITLOCAL_EMAIL_BACKEND", "file")
    os.environ.setdefault("KEEPITLOCAL_TASKS_BACKEND", "immediate")
    os.environ.setdefault("KEEPITLOCAL_STATIC_FROM_APPS", "true")
    if host in ("0.0.0.0", "::"):  # every interface: answer to whatever name reaches us
        hosts = {"*"}
    else:
        hosts = {"localhost", "127.0.0.1", "[::1]", host if ":" not in host else f"[{host}]"}
    os.environ.setdefault("KEEPITLOCAL_ALLOWED_HOSTS", ",".join(sorted(hosts)))
    return directory


@click.command()
@click.option("--demo", is_flag=True, help="Load a realistic example data set first.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def serve(demo: bool, host: str, port: int) -> None:
    """Start the web app on SQLite, in the folder KEEPITLOCAL_DATA_DIR (default ./var).

    Applies database migrations first. E-mails are written to files in the data folder.

    Example: keepitlocal serve --demo
    """
    directory = embedded_environment(host)
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        from keepitlocal.web.demo import load_demo

        data = load_demo()
        click.echo(f"Demo data loaded: {data.anchor} and {data.council}.")
        click.echo(f"Sign in as {data.user.email} with the password {data.password}")
    click.echo(f"Data folder: {directory} (e-mails are saved in {settings.EMAIL_FILE_PATH})")
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"Open http://{shown_host}:{port}/ in your browser. Press Ctrl+C to stop.")
    call_command(
        "runserver", f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
        use_reloader=False, use_threading=True, skip_checks=True,
    )


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                      "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `keepitlocal manage migrate` or `... db_worker`.

    Example: keepitlocal manage createsuperuser
    """
    from keepitlocal.web.manage import main

    main(list(args))
