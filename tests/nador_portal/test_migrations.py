from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit as exit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()} ({exit})")
