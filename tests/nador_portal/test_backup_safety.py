"""Backups are private, hold no session, lockout or cache row, and `restore` refuses any file that
is not a backup of this portal with one sentence and exit code 2, the database unchanged.

Both formats on PostgreSQL (pg_dump and pg_restore see only committed rows, hence transactional
tests), the JSON format on SQLite."""

import gzip
import io
import json
import os
import random
import stat
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from events.models import Event
from nador_portal import backups
from practices.models import Practice, Theme
from stakeholders.models import Stakeholder
from tests.conftest import ON_POSTGRES, logged_in, make_practice, make_stakeholder

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FORMATS = ["json", "native"] if ON_POSTGRES else ["json"]
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def content(partner, coordinator, asticude, theme):
    practice = make_practice(asticude, "Welcome desk of Nador")
    practice.themes.add(theme)
    make_practice(asticude, "Language cafe")


def _content() -> list[str]:
    """Every row a backup keeps, independent of row order (see test_backup.py)."""
    out = StringIO()
    options = {"natural_foreign": True, "natural_primary": True}
    call_command("dumpdata", exclude=backups.JSON_LEFT_OUT, stdout=out, **options)
    items = json.loads(out.getvalue())
    for item in items:
        for name, value in item["fields"].items():
            if isinstance(value, list):
                item["fields"][name] = sorted(value, key=json.dumps)
    return sorted(json.dumps(item, sort_keys=True).replace('.000Z"', 'Z"') for item in items)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [Practice, Stakeholder, Event]}


def _backup(directory: Path, format: str) -> Path:
    call_command("backup", directory=str(directory), format=format, stdout=StringIO())
    (path,) = directory.glob("nador-*.tar")
    return path


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers()}


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return path


def _as_text(path: Path) -> str:
    """What the backup's data holds, as text: the rows of a dump, or the JSON."""
    members = _members(path)
    if "data.json.gz" in members:
        return gzip.decompress(members["data.json.gz"]).decode()
    dump = path.parent / "data.dump"
    dump.write_bytes(members["data.dump"])
    command = ["pg_restore", "--data-only", "--file=-", str(dump)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def _refused(path: Path) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), interactive=False, stdout=StringIO())
    assert refusal.value.returncode == 2
    message = str(refusal.value)
    assert "\n" not in message and message.endswith(".")
    assert message.startswith("Not restored, the database is unchanged: ")
    return message


@pytest.mark.parametrize("format", FORMATS)
def test_a_backup_is_readable_by_its_owner_only_in_a_folder_only_its_owner_opens(
    content, tmp_path, format
):
    folder = tmp_path / "backups"
    folder.mkdir()
    os.chmod(folder, 0o755)  # noqa: S103 (the folder as `make backup` used to leave it)
    path = _backup(folder, format)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [path.name]  # no working files left behind


@pytest.mark.parametrize("format", FORMATS)
def test_a_new_backup_folder_is_created_0700(content, tmp_path, format):
    folder = tmp_path / "new" / "backups"
    _backup(folder, format)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("format", FORMATS)
def test_a_backup_holds_a_manifest_naming_the_portal_its_schema_and_counts(
    content, tmp_path, format
):
    members = _members(_backup(tmp_path, format))
    manifest = json.loads(members["manifest.json"])
    assert list(members) == ["manifest.json", manifest["data"]]
    assert manifest["app"] == "nador-portal" and manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["data"] == ("data.dump" if format == "native" else "data.json.gz")
    assert manifest["schema"] == dict(MigrationLoader(None).graph.leaf_nodes())
    assert manifest["counts"] == {
        "users": 2,
        "stakeholders": 1,
        "memberships": 1,
        "practices": 2,
        "events": 0,
    }


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nador_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE nador_cache")


@pytest.mark.parametrize("format", FORMATS)
def test_a_backup_holds_no_session_lockout_or_cache_row(
    content, partner, tmp_path, format, database_cache
):
    from django.core.cache import cache

    logged_in(partner).get("/en/")
    session_key = Session.objects.get().session_key
    AccessAttempt.objects.create(
        username="attacker-name", ip_address="192.0.2.66", failures_since_start=5
    )
    cache.set("cached-page-marker", "cached-value-marker")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM nador_cache")
        assert cursor.fetchone() == (1,)

    text = _as_text(_backup(tmp_path, format))
    assert "Welcome desk of Nador" in text  # the data is there...
    for secret in [session_key, "attacker-name", "192.0.2.66", "cached-page-marker"]:
        assert secret not in text  # ...but no session, lockout or cache row


@pytest.mark.parametrize("format", FORMATS)
def test_a_round_trip_keeps_the_content_and_signs_everybody_out(content, partner, tmp_path, format):
    before_counts, before_content = _counts(), _content()
    path = _backup(tmp_path, format)
    Practice.objects.filter(slug="language-cafe").delete()
    make_stakeholder("Added after the backup")
    client = logged_in(partner)
    assert Session.objects.count() == 1

    out = StringIO()
    call_command("restore", str(path), interactive=False, stdout=out)

    assert _counts() == before_counts
    assert _content() == before_content
    assert Session.objects.count() == 0
    assert client.get("/en/workspace/").status_code == 302  # back to the sign-in page
    assert f"restore: {path} restored (backup of 20" in out.getvalue()
    assert "1 stakeholders" in out.getvalue() and "2 practices" in out.getvalue()


def _empty_list(tmp_path, valid):
    path = tmp_path / "empty.json"
    path.write_text("[]")
    return path


def _one_theme_fixture(tmp_path, valid):
    path = tmp_path / "theme.json"
    call_command("dumpdata", "practices.theme", pks=str(Theme.objects.first().pk), output=str(path))
    return path


def _one_theme_under_a_real_manifest(tmp_path, valid):
    members = _members(valid)
    manifest = json.loads(members["manifest.json"])
    one_theme = [item for item in json.loads(_as_text(valid)) if item["model"] == "practices.theme"]
    manifest["data"] = "data.json.gz"
    data = gzip.compress(json.dumps(one_theme[:1]).encode())
    return _tar(
        tmp_path / "theme.tar",
        {"manifest.json": json.dumps(manifest).encode(), "data.json.gz": data},
    )


def _sessions_under_a_real_manifest(tmp_path, valid):
    members = _members(valid)
    planted = [
        {
            "model": "sessions.session",
            "pk": "k" * 32,
            "fields": {"session_data": "x", "expire_date": "2099-01-01T00:00:00Z"},
        }
    ]
    data = gzip.compress(json.dumps(json.loads(_as_text(valid)) + planted).encode())
    return _tar(
        tmp_path / "planted.tar", {"manifest.json": members["manifest.json"], "data.json.gz": data}
    )


def _truncated(tmp_path, valid):
    """Cut in the middle of the data part: half the file may end in the tar's zero padding,
    past everything it holds, which would be no truncation at all."""
    with tarfile.open(valid) as tar:
        data = next(member for member in tar.getmembers() if member.name.startswith("data."))
    path = tmp_path / "truncated.tar"
    path.write_bytes(valid.read_bytes()[: data.offset_data + data.size // 2])
    return path


def _random_bytes(tmp_path, valid):
    path = tmp_path / "random.tar"
    path.write_bytes(random.Random(14).randbytes(20_000))
    return path


def _a_folder(tmp_path, valid):
    return tmp_path


def _missing(tmp_path, valid):
    return tmp_path / "nador-20990101-000000.tar"


def _with_manifest(valid, tmp_path, **changes):
    members = _members(valid)
    manifest = {**json.loads(members["manifest.json"]), **changes}
    members["manifest.json"] = json.dumps(manifest).encode()
    return _tar(tmp_path / "changed.tar", members)


def _another_application(tmp_path, valid):
    return _with_manifest(valid, tmp_path, app="another-portal")


def _unknown_format_version(tmp_path, valid):
    return _with_manifest(valid, tmp_path, format_version=2)


def _newer_schema(tmp_path, valid):
    schema = json.loads(_members(valid)["manifest.json"])["schema"]
    return _with_manifest(valid, tmp_path, schema={**schema, "practices": "0999_from_the_future"})


def _older_schema(tmp_path, valid):
    schema = json.loads(_members(valid)["manifest.json"])["schema"]
    older = {**schema, "practices": "0001_create_practices_and_taxonomies"}
    return _with_manifest(valid, tmp_path, schema=older)


def _counts_disagree(tmp_path, valid):
    counts = json.loads(_members(valid)["manifest.json"])["counts"]
    return _with_manifest(valid, tmp_path, counts={**counts, "practices": 20})


def _no_data_part(tmp_path, valid):
    members = _members(valid)
    return _tar(tmp_path / "nodata.tar", {"manifest.json": members["manifest.json"]})


def _foreign_pg_dump(tmp_path):
    """A pg_dump of a scratch database holding one table, foreign_thing."""
    scratch = f"{connection.settings_dict['NAME']}_foreign"
    environment = {**backups.postgres_environment(), "PGDATABASE": "postgres"}

    def run(*command):
        subprocess.run(command, env=environment, check=True, capture_output=True)  # noqa: S603

    run("dropdb", "--if-exists", scratch)
    run("createdb", scratch)
    try:
        sql = (
            "CREATE TABLE foreign_thing (id int PRIMARY KEY); INSERT INTO foreign_thing VALUES (1)"
        )
        run("psql", "--dbname", scratch, "--command", sql)
        run("pg_dump", "--format=custom", f"--file={tmp_path / 'foreign.dump'}", scratch)
    finally:
        run("dropdb", scratch)
    return tmp_path / "foreign.dump"


def _bare_foreign_pg_dump(tmp_path, valid):
    return _foreign_pg_dump(tmp_path)


def _foreign_pg_dump_under_a_real_manifest(tmp_path, valid):
    members = _members(valid)
    dump = _foreign_pg_dump(tmp_path).read_bytes()
    return _tar(
        tmp_path / "foreign.tar", {"manifest.json": members["manifest.json"], "data.dump": dump}
    )


REFUSALS = {
    "[]": ("json", _empty_list, "not a backup of the Nador portal"),
    "a one-theme fixture": ("json", _one_theme_fixture, "not a backup of the Nador portal"),
    "one theme under a manifest": ("json", _one_theme_under_a_real_manifest, "holds 0 users"),
    "planted sessions": ("json", _sessions_under_a_real_manifest, "sessions.session rows"),
    "a truncated backup": ("json", _truncated, "damaged or truncated"),
    "random bytes": ("json", _random_bytes, "not a backup of the Nador portal"),
    "a folder": ("json", _a_folder, "is a folder"),
    "a missing file": ("json", _missing, "No backup file at"),
    "another application": ("json", _another_application, "'another-portal'"),
    "an unknown format": ("json", _unknown_format_version, "backup format 2"),
    "a newer schema": ("json", _newer_schema, "practices.0999_from_the_future is unknown"),
    "an older schema": ("json", _older_schema, "older schema (practices at 0001_"),
    "counts that disagree": ("json", _counts_disagree, "holds 2 practices where its manifest"),
    "no data part": ("json", _no_data_part, "data part data.json.gz is missing"),
}
if ON_POSTGRES:
    REFUSALS |= {
        "a truncated dump": ("native", _truncated, "damaged or truncated"),
        "a foreign pg_dump": ("native", _bare_foreign_pg_dump, "not a backup of the Nador"),
        "a foreign pg_dump under a manifest": (
            "native",
            _foreign_pg_dump_under_a_real_manifest,
            "dump of another database (no table django_migrations)",
        ),
        "a dump's older schema": ("native", _older_schema, "older schema"),
    }


@pytest.mark.parametrize("case", REFUSALS)
def test_restore_refuses_what_is_not_a_backup_of_this_portal_and_changes_nothing(
    content, tmp_path, case
):
    format, make, reason = REFUSALS[case]
    valid = _backup(tmp_path / "made", format)
    path = make(tmp_path, valid)
    before_counts, before_content = _counts(), _content()

    assert reason in _refused(path)

    assert _counts() == before_counts
    assert _content() == before_content


def test_a_refusal_from_the_command_line_is_one_line_with_exit_code_2(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(empty), "--no-input"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert f"{empty} is not a backup of the Nador portal" in result.stderr
    assert result.stdout == ""


def _a_broken_object(tmp_path, valid):
    """A well-formed backup whose one practice is invalid: the load fails half-way."""
    members = _members(valid)
    items = json.loads(_as_text(valid))
    practice = next(item for item in items if item["model"] == "practices.practice")
    practice["fields"]["organisation"] = ["No such organisation"]
    data = gzip.compress(json.dumps(items).encode())
    return _tar(
        tmp_path / "broken.tar", {"manifest.json": members["manifest.json"], "data.json.gz": data}
    )


def _a_view_on_the_users(tmp_path, valid):
    """pg_restore --clean cannot drop auth_user while a view depends on it."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW user_names AS SELECT username FROM auth_user")
    return valid


FAILURES = {"a broken object": ("json", _a_broken_object, "the data could not be loaded")}
if ON_POSTGRES:
    FAILURES["pg_restore fails"] = (
        "native",
        _a_view_on_the_users,
        "pg_restore failed: pg_restore: error: could not execute query",
    )


@pytest.mark.parametrize("case", FAILURES)
def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(content, tmp_path, case):
    format, make, reason = FAILURES[case]
    valid = _backup(tmp_path / "made", format)
    path = make(tmp_path, valid)
    make_stakeholder("Added after the backup")
    before_counts, before_content = _counts(), _content()
    try:
        with pytest.raises(CommandError) as failure:
            call_command("restore", str(path), interactive=False, stdout=StringIO())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS user_names")
    message = str(failure.value)
    assert message.startswith("Not restored, the database is unchanged: ")
    assert reason in message and "\n" not in message
    assert _counts() == before_counts
    assert _content() == before_content


LISTING = """;
; Archive created at 2026-12-05 00:58:54 UTC
2; 3079 1786608 EXTENSION - unaccent
4131; 0 0 COMMENT - EXTENSION unaccent
310; 1259 1786744 TABLE public django_session postgres
4101; 0 1786744 TABLE DATA public django_session postgres
4102; 0 1785995 TABLE DATA public axes_accessattempt postgres
4103; 0 1785995 TABLE DATA public nador_cache postgres
4104; 0 1786001 TABLE DATA public practices_practice postgres
"""


def test_a_restore_leaves_out_the_dumps_extensions_and_the_rows_no_backup_keeps():
    kept = "".join(backups.restorable(LISTING))
    assert "EXTENSION" not in kept  # a role that does not own unaccent could not drop it
    assert "TABLE public django_session" in kept  # the table is recreated, empty
    assert "TABLE DATA public practices_practice" in kept
    for table in ["django_session", "axes_accessattempt", "nador_cache"]:
        assert f"TABLE DATA public {table}" not in kept
