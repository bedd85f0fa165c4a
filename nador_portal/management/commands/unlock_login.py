from axes.utils import reset
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Unlock a user name locked out by repeated failed sign-ins (from one address or all)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--ip", help="unlock only the sign-ins from this address")

    def handle(self, *args, username: str, ip: str | None = None, **options):
        removed = reset(username=username, ip=ip)
        self.stdout.write(f"unlock_login: {username} unlocked ({removed} lockout records removed)")
