"""`manage.py sweep_uploads`: end the upload checks whose background worker died, remove
left-over staged files and forget checks that ended over 14 days ago (`core.parsing.sweep`).
The worker runs the same sweep before each job; schedule this too (hourly, say) so nothing
waits for the next large upload."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from keepitlocal.web.core import parsing


class Command(BaseCommand):
    help = (
        "End large-upload checks stuck waiting (over a day) or running (past "
        "KEEPITLOCAL_BACKGROUND_PARSE_SECONDS plus five minutes) because their worker died, "
        "telling the uploader what to do, and remove staged upload files that no active check "
        "owns and are a day old, and delete the records of checks that ended over 14 days "
        "ago. Example, hourly from cron: "
        "0 * * * * keepitlocal manage sweep_uploads"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        swept = parsing.sweep()
        for job in swept.jobs:
            self.stdout.write(f"Ended the check of {job.original_name} (upload {job.pk}, "
                              f"{job.organisation}): its worker had stopped.")
        self.stdout.write(f"Stale upload checks ended: {len(swept.jobs)}; left-over staged "
                          f"files removed: {len(swept.folders)}. Records of checks ended over "
                          f"{parsing.KEEP_ENDED.days} days ago deleted: {swept.forgotten}.")
