"""Backups of the portal's database, written by `backup` and read back by `restore`.

A backup is one uncompressed tar file holding `manifest.json` (what the file is: this portal,
the format version, the schema, the date, the database and the main counts) and the data:
`data.dump` (pg_dump custom format) or `data.json.gz` (dumpdata with natural keys). The
manifest lets `restore` refuse any other file before it touches the database.

Sessions, cache rows and sign-in lockouts are left out: a session key from a backup would sign
in as its owner, and the cache and lockouts are worth nothing after a restore. The accounts
stay, so the password hashes do: the file is written 0600 in a 0700 folder.
"""

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

APP = "nador-portal"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NATIVE_DATA = "data.dump"
JSON_DATA = "data.json.gz"
# The tables a restore reports and a JSON restore checks against the manifest.
COUNTED = {
    "users": "auth.User",
    "stakeholders": "stakeholders.Stakeholder",
    "memberships": "stakeholders.Membership",
    "practices": "practices.Practice",
    "events": "events.Event",
}
# Rebuilt by `migrate` from the code (natural keys point to them), or secret and worthless
# after a restore (sessions, lockouts).
JSON_LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes"]
REFUSED = 2  # exit code of a file that is not a backup of this portal


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def postgres_environment() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore, so the password never shows in `ps`."""
    database = connection.settings_dict
    variables = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
    }
    return {**os.environ, **{key: value for key, value in variables.items() if value}}


def left_out_tables() -> list[str]:
    """Tables whose rows no backup holds: sessions, django-axes' lockouts, the database cache."""
    models = [Session, *apps.get_app_config("axes").get_models()]
    caches = {
        options["LOCATION"]
        for options in settings.CACHES.values()
        if options["BACKEND"].endswith("DatabaseCache")
    }
    return sorted({model._meta.db_table for model in models} | caches | {"nador_cache"})


def counts() -> dict[str, int]:
    return {name: apps.get_model(label).objects.count() for name, label in COUNTED.items()}


def applied_schema() -> dict[str, str]:
    """The latest applied migration of each app."""
    latest = {}
    for app, name in (
        MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name")
    ):
        latest[app] = name
    return latest


# Writing


def private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode holds for a new folder only, not an existing one


def write_backup(folder: Path, native: bool) -> Path:
    private_folder(folder)
    target = folder / f"nador-{timezone.now():%Y%m%d-%H%M%S}.tar"
    # Everything written from here (pg_dump's and dumpdata's files too) is 0600 from birth.
    umask = os.umask(0o077)
    try:
        with tempfile.TemporaryDirectory(dir=folder, prefix=".nador-backup-") as work:
            data = Path(work) / (NATIVE_DATA if native else JSON_DATA)
            described = dump_postgres(data) if native else dump_json(data)
            archive = Path(work) / "backup.tar"
            descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                add_bytes(tar, MANIFEST, json.dumps(described, indent=2))
                tar.add(data, arcname=data.name, filter=anonymous_member)
            # Whole or not at all: a half-written file never carries the backup's name.
            os.replace(archive, target)
    finally:
        os.umask(umask)
    return target


@contextmanager
def one_snapshot() -> Iterator[str | None]:
    """One read transaction for the dump, the counts and the schema, so that the manifest
    describes the data to the row; on PostgreSQL, the snapshot's id for `pg_dump --snapshot`."""
    outermost = not connection.in_atomic_block  # the tests may run inside a transaction
    with transaction.atomic():
        if not (outermost and connection.vendor == "postgresql"):
            yield None
            return
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        yield snapshot


def dump_postgres(data: Path) -> dict:
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={data}"]
    command += [f"--exclude-table-data={table}" for table in left_out_tables()]
    with one_snapshot() as snapshot:
        if snapshot:
            command.append(f"--snapshot={snapshot}")
        subprocess.run(command, env=postgres_environment(), check=True)  # noqa: S603
        return manifest(data.name, counts())


def dump_json(data: Path) -> dict:
    options = {"natural_foreign": True, "natural_primary": True, "exclude": JSON_LEFT_OUT}
    with one_snapshot():
        call_command("dumpdata", output=str(data), verbosity=0, **options)
        # Counted in the file itself: the manifest matches the data to the row.
        return manifest(data.name, counts_in(read_json(data)))


def manifest(data_name: str, figures: dict[str, int]) -> dict:
    return {
        "app": APP,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "data": data_name,
        "schema": applied_schema(),
        "counts": figures,
    }


def anonymous_member(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    member.mode = 0o600
    return member


def add_bytes(tar: tarfile.TarFile, name: str, text: str) -> None:
    content = text.encode()
    member = anonymous_member(tarfile.TarInfo(name))
    member.size, member.mtime = len(content), int(timezone.now().timestamp())
    tar.addfile(member, fileobj=io.BytesIO(content))


# Reading


@dataclass
class Backup:
    path: Path
    manifest: dict
    data: Path  # the data part, copied into a private temporary folder

    @property
    def native(self) -> bool:
        return self.manifest["data"] == NATIVE_DATA


def refuse(reason: str) -> CommandError:
    """One sentence for the operator, exit code 2, no traceback."""
    return CommandError(f"Not restored, the database is unchanged: {reason}.", returncode=REFUSED)


@contextmanager
def opened(path: Path) -> Iterator[Backup]:
    """The backup at `path`, checked before anything is touched; anything else is refused."""
    if path.is_dir():
        raise refuse(f"{path} is a folder, not a backup file")
    if not path.is_file():
        raise refuse(f"No backup file at {path}")
    with tempfile.TemporaryDirectory(prefix="nador-restore-") as work:
        backup = unpack(path, Path(work))
        if backup.native:
            check_native(backup)
        else:
            check_json(backup)
        yield backup


def unpack(path: Path, work: Path) -> Backup:
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 (the with below closes it)
    except (tarfile.TarError, EOFError, OSError):
        raise refuse(
            f"{path} is not a backup of the Nador portal (not a tar file made by `backup`)"
        ) from None
    try:
        with tar:
            found = read_manifest(tar, path)
            check_schema(path, found["schema"])  # before copying a data part it would refuse
            data = work / found["data"]
            copy_member(tar, found["data"], data, path)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise refuse(f"{path} is damaged or truncated ({error})") from None
    return Backup(path, found, data)


def read_manifest(tar: tarfile.TarFile, path: Path) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise refuse(f"{path} is not a backup of the Nador portal (it has no {MANIFEST})") from None
    if not member.isreg() or member.size > 1_000_000:
        raise refuse(f"{path} is not a backup of the Nador portal ({MANIFEST} is no manifest)")
    try:
        found = json.loads(tar.extractfile(member).read())
    except ValueError:
        raise refuse(f"{path} is damaged: its {MANIFEST} is not readable JSON") from None
    if not isinstance(found, dict) or found.get("app") != APP:
        app = found.get("app") if isinstance(found, dict) else None
        raise refuse(f"{path} is not a backup of the Nador portal (its manifest names {app!r})")
    if found.get("format_version") != FORMAT_VERSION:
        version = found.get("format_version")
        raise refuse(f"{path} is in backup format {version!r}; this portal reads {FORMAT_VERSION}")
    if not well_formed(found):
        raise refuse(f"{path} is damaged: its manifest lacks the schema, counts, date or data")
    return found


def well_formed(found: dict) -> bool:
    try:
        timezone.datetime.fromisoformat(found["created_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return (
        found.get("data") in (NATIVE_DATA, JSON_DATA)
        and isinstance(found.get("schema"), dict)
        and all(isinstance(name, str) for name in found["schema"].values())
        and isinstance(found.get("counts"), dict)
    )


def copy_member(tar: tarfile.TarFile, name: str, target: Path, path: Path) -> None:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise refuse(f"{path} is incomplete: its data part {name} is missing") from None
    if not member.isreg():
        raise refuse(f"{path} is damaged: its data part {name} is not a file")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with tar.extractfile(member) as source, os.fdopen(descriptor, "wb") as copy:
        shutil.copyfileobj(source, copy)


def check_schema(path: Path, schema: dict[str, str]) -> None:
    """Refuse a schema other than the code's: newer cannot be read, and older data would miss
    what the data migrations since then did to every row."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in schema.items():
        if (app, name) not in loader.graph.nodes:
            raise refuse(
                f"{path} was made by another (newer?) version of the portal: its migration "
                f"{app}.{name} is unknown here; restore it with that version"
            )
    for app, name in sorted(loader.graph.leaf_nodes()):
        if schema.get(app) != name:
            raise refuse(
                f"{path} was made at an older schema ({app} at {schema.get(app)}, the code "
                f"at {name}): restore it with the version of the portal that made it, then "
                "upgrade, which migrates"
            )


def table_of(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def check_native(backup: Backup) -> None:
    if backup.manifest.get("database_vendor") != "postgresql":
        raise refuse(f"{backup.path} is damaged: its {NATIVE_DATA} does not come from PostgreSQL")
    if not uses_postgres():
        raise refuse(
            f"{backup.path} is a PostgreSQL backup and this database is {connection.vendor}: "
            "make a `backup --format json` to move between databases"
        )
    tables = dumped_tables(table_of_contents(backup))
    for table in ["django_migrations", *(table_of(label) for label in COUNTED.values())]:
        if table not in tables:
            raise refuse(f"{backup.path} holds a dump of another database (no table {table})")


def table_of_contents(backup: Backup) -> str:
    command = ["pg_restore", "--list", str(backup.data)]
    listing = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if listing.returncode:
        raise refuse(f"{backup.path} is damaged: its data is not a readable pg_dump archive")
    return listing.stdout


# Lines of `pg_restore --list`: "4242; 0 16401 TABLE DATA public practices_practice postgres".
TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+)(?: |$)", re.MULTILINE)
EXTENSION = re.compile(r"^\d+; \d+ \d+ (EXTENSION|COMMENT - EXTENSION) ")


def dumped_tables(listing: str) -> set[str]:
    return set(TABLE_DATA.findall(listing))


def read_json(data: Path) -> object:
    with gzip.open(data, "rt", encoding="utf-8") as text:
        return json.load(text)


def counts_in(items: list[dict]) -> dict[str, int]:
    found = Counter(item["model"] for item in items)
    return {name: found[label.lower()] for name, label in COUNTED.items()}


def check_json(backup: Backup) -> None:
    try:
        items = read_json(backup.data)
    except (OSError, EOFError, ValueError, zlib.error):
        raise refuse(f"{backup.path} is damaged: its data is not readable gzipped JSON") from None
    if not isinstance(items, list) or not all(is_object(item) for item in items):
        raise refuse(f"{backup.path} is damaged: its data is not a list of the portal's objects")
    for label in sorted({item["model"] for item in items}):
        check_model(backup, label)
    found = counts_in(items)
    for name, expected in backup.manifest["counts"].items():
        if name in found and found[name] != expected:
            raise refuse(
                f"{backup.path} is damaged: its data holds {found[name]} {name} where its "
                f"manifest says {expected}"
            )


def is_object(item: object) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("model"), str)
        and isinstance(item.get("fields"), dict)
    )


def check_model(backup: Backup, label: str) -> None:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise refuse(f"{backup.path} holds {label} objects, not a model of this portal") from None
    if {model._meta.app_label, model._meta.label_lower} & set(JSON_LEFT_OUT):
        raise refuse(f"{backup.path} holds {label} rows, which a portal backup never holds")


# Restoring


def restore(backup: Backup) -> dict[str, int]:
    """Replace the database's content, all or nothing; return the counts restored."""
    # Creates the tables on an empty database and the extensions that the dump's are left for.
    call_command("migrate", verbosity=0, interactive=False)
    if backup.native:
        restore_postgres(backup)
    else:
        restore_json(backup)
    end_sessions_and_cache()
    return counts()


def restore_postgres(backup: Backup) -> None:
    use_list = backup.data.parent / "restore.list"
    use_list.write_text("".join(restorable(table_of_contents(backup))))
    environment = postgres_environment()
    command = [
        *("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"),
        *("--single-transaction", f"--use-list={use_list}"),
        f"--dbname={environment['PGDATABASE']}",
        str(backup.data),
    ]
    result = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise CommandError(
            f"Not restored, the database is unchanged: pg_restore failed: "
            f"{first_error(result.stderr) or f'exit code {result.returncode}'}"
        )


def restorable(listing: str) -> list[str]:
    """The dump's entries but its extensions (the migrations made them; one that belongs to
    another role could be neither dropped nor commented on) and the rows no backup keeps."""
    left_out = set(left_out_tables())
    kept = []
    for line in listing.splitlines(keepends=True):
        table = TABLE_DATA.match(line)
        if EXTENSION.match(line) or (table and table.group(1) in left_out):
            continue
        kept.append(line)
    return kept


def first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")


def restore_json(backup: Backup) -> None:
    # flush empties every table, then recreates the content types and permissions that the
    # natural keys of the backup point to. The backup holds the history already: loading
    # many-to-many fields must not add to it.
    try:
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            # Inside a larger transaction (the tests), PostgreSQL refuses to TRUNCATE a table
            # with deferred foreign-key checks pending: run them first.
            connection.check_constraints()
            call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", str(backup.data), verbosity=0)
    except Exception as error:  # any failure rolls everything back; the operator gets a line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise CommandError(
            f"Not restored, the database is unchanged: the data could not be loaded: {first_line}"
        ) from None


def end_sessions_and_cache() -> None:
    """Nobody stays signed in with a key from before, and no page is served from old data."""
    Session.objects.all().delete()
    # No table for the database cache means it was never created: nothing is cached.
    with suppress(DatabaseError):
        cache.clear()
