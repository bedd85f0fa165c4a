import gzip
import json
import os
import subprocess
import tarfile
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from events.models import Event
from nador_portal import backups
from practices.models import Practice
from stakeholders.models import Membership, Stakeholder

pytestmark = pytest.mark.django_db

MODELS = [Practice, Stakeholder, Event, Membership, User]


def _content() -> list[str]:
    """Everything a backup holds, independent of row order."""
    out = StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=backups.JSON_LEFT_OUT,
        stdout=out,
    )
    items = json.loads(out.getvalue())
    for item in items:
        # A many-to-many field is a set: PostgreSQL may list it in another order after a load.
        for name, value in item["fields"].items():
            if isinstance(value, list):
                item["fields"][name] = sorted(value, key=json.dumps)
    # Django's JSON keeps times to the millisecond: 12:00:53.000412 is written 12:00:53.000Z and
    # read back as 12:00:53, written 12:00:53Z.
    return sorted(json.dumps(item, sort_keys=True).replace('.000Z"', 'Z"') for item in items)


def _backup(directory, **options) -> str:
    """Run `backup` into an empty directory and return the path of the file it wrote."""
    call_command("backup", directory=str(directory), stdout=StringIO(), **options)
    (path,) = directory.iterdir()
    return str(path)


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo makes the demo accounts only in DEBUG
    call_command("load_demo")
    settings.DEBUG = False


def test_a_json_backup_restores_the_same_content_into_an_emptied_database(demo, tmp_path):
    before_counts, before_content = _counts(), _content()
    assert before_counts["practices.Practice"] > 0 and before_counts["auth.User"] > 0

    path = _backup(tmp_path, format="json")
    connection.check_constraints()  # PostgreSQL: no TRUNCATE with deferred checks pending
    call_command("flush", interactive=False, verbosity=0)
    assert Practice.objects.count() == 0
    call_command("restore", path, interactive=False, stdout=StringIO())

    assert _counts() == before_counts
    assert _content() == before_content


def test_a_restored_user_signs_in_with_the_same_password(demo, tmp_path, client, settings):
    path = _backup(tmp_path, format="json")
    call_command("restore", path, interactive=False, stdout=StringIO())
    response = client.post(
        "/en/accounts/login/", {"username": "asticude", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_the_backup_is_one_date_stamped_tar_of_a_manifest_and_gzipped_json(demo, tmp_path):
    out = StringIO()
    call_command("backup", directory=str(tmp_path), format="json", stdout=out)
    (path,) = (str(p) for p in tmp_path.iterdir())
    assert os.path.dirname(path) == str(tmp_path)
    assert os.path.basename(path).startswith("nador-20")
    assert path.endswith(".tar")
    with tarfile.open(path) as backup:
        assert backup.getnames() == ["manifest.json", "data.json.gz"]
        manifest = json.load(backup.extractfile("manifest.json"))
        with gzip.open(backup.extractfile("data.json.gz"), "rt") as data:
            items = json.load(data)
    assert any(item["model"] == "practices.practice" for item in items)
    assert manifest["counts"]["practices"] == Practice.objects.count()
    assert out.getvalue().startswith(f"backup: {path} (")


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nothing.json.gz"), interactive=False)


def test_restore_changes_nothing_unless_confirmed(demo, tmp_path):
    path = _backup(tmp_path, format="json")
    Stakeholder.objects.create(name="Added after the backup", slug="added", kind="ngo")
    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError):
        call_command("restore", path)
    assert Stakeholder.objects.filter(slug="added").exists()


def _pretend_pg_dump(command, **options):
    target = next(arg for arg in command if arg.startswith("--file="))
    with open(target.removeprefix("--file="), "wb") as dump:
        dump.write(b"PGDMP")


def test_on_postgresql_the_backup_runs_pg_dump_without_the_password_in_its_arguments(
    tmp_path,
):
    with (
        mock.patch("nador_portal.backups.uses_postgres", return_value=True),
        mock.patch.dict(connection.settings_dict, {"PASSWORD": "pg-secret"}),
        mock.patch.object(subprocess, "run", side_effect=_pretend_pg_dump) as run,
    ):
        path = _backup(tmp_path)
    arguments, options = run.call_args
    assert arguments[0][0] == "pg_dump"
    assert "--format=custom" in arguments[0]
    (data,) = (arg.removeprefix("--file=") for arg in arguments[0] if arg.startswith("--file="))
    assert data.startswith(str(tmp_path)) and data.endswith("/data.dump")
    for table in ["django_session", "nador_cache", "axes_accessattempt", "axes_accesslog"]:
        assert f"--exclude-table-data={table}" in arguments[0]
    with tarfile.open(path) as backup:
        assert backup.extractfile("data.dump").read() == b"PGDMP"
    assert "pg-secret" not in " ".join(arguments[0])
    assert options["env"]["PGPASSWORD"] == "pg-secret"
