"""Daily, from cron: the alerts' digests due, and the deletion of requests never confirmed."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.digests import send_due


class Command(BaseCommand):
    help = (
        "Send each due e-mail alert its digest of the practices published since its last one; "
        "delete the alert requests never confirmed."
    )

    def handle(self, *args, **options):
        report = send_due(timezone.now())
        self.stdout.write(
            f"send_alerts: {report.sent} digests sent, {report.checked} alerts due checked, "
            f"{report.deleted_requests} unconfirmed requests deleted"
        )
