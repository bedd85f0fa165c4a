"""A guard: no template or module marks user content safe, outside a short allow-list of
uses that escape first or write plain text."""

from __future__ import annotations

import re
from pathlib import Path

# No |safe, mark_safe or autoescape off on user content ------------------------------------

ROOT = Path(__file__).resolve().parent.parent
UNSAFE = re.compile(r"\|\s*safe\b|\bmark_safe\b|autoescape\s+off|\bSafeString\(|\|\s*safeseq")
# Each legitimate use, with its reason.
ALLOWED = {
    # The search snippet: the summary is escaped first, only our own <mark> tags are added.
    ("search/fulltext.py", "mark_safe"),
    # The second factor's QR code: SVG drawn by segno (paths only); its label is escaped first.
    ("publishing/two_factor.py", "mark_safe"),
    # The list's cards and facet options: every value escaped first, as the templates did
    # (tests/practices/test_list_rendering.py compares them with the former templates).
    ("practices/templatetags/practice_list.py", "mark_safe"),
    # Plain-text emails (subject and body): HTML escaping would show &lt; to the reader.
    # The messages are sent as text/plain only (test_the_notification_emails_are_plain...).
    *{
        (f"templates/emails/{p.name}", "autoescape off")
        for p in (ROOT / "templates/emails").iterdir()
    },
    ("templates/registration/password_reset_email.html", "autoescape off"),  # Django's, text
    # JSON-LD escaped like json_script (<, >, & as \u003C...) by nador_portal/sharing.py.
    ("templates/includes/_social.html", "safe"),
}


def unsafe_uses() -> set[tuple[str, str]]:
    found = set()
    # Every package of the project (a new app is covered at once) and the templates.
    packages = [
        p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"
    ]
    for folder in ("templates", *packages):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml", ".py"} or "migrations" in path.parts:
                continue
            for match in UNSAFE.finditer(path.read_text(encoding="utf-8")):
                use = re.sub(r"\s+", " ", match.group()).lstrip("|").strip()
                found.add((str(path.relative_to(ROOT)), use.rstrip("(")))
    return found


def test_nothing_marks_user_content_safe_outside_the_allow_list():
    assert unsafe_uses() - ALLOWED == set()


def test_the_allow_list_names_only_uses_that_exist():
    assert ALLOWED - unsafe_uses() == set()


def test_the_email_templates_that_turn_escaping_off_are_plain_text():
    for path in (ROOT / "templates/emails").iterdir():
        assert path.suffix == ".txt", path
