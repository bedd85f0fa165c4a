"""How PracticeResource imports a large file quickly (docs/performance/design.md, "Bulk
import"): the practices a file updates are read before the first row
(PrefetchingInstanceLoader), rows are saved a batch at a time, and the history of the
saved practices is written in bulk at the end (BulkPracticeImport)."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult

from practices.models import Practice, PracticeTranslation, StakeholderRole
from reports import signals
from reports.resources.cells import taxonomy_fields
from reports.resources.history import copy_versions, link_history_statement
from search import bitmap_index, fulltext

#: Existing practices are read this many at a time, with their links (a bounded IN list).
LOAD_CHUNK = 500

#: Links, roles and indicators of new practices are inserted this many at a time.
UNNEST_CHUNK = 10_000

#: The facet bits of saved practices are brought up to date in few calls, for each call
#: rewrites every bitmap holding one of its practices (at 100,000 practices, 100 calls of
#: 1,000 took 394 s, mostly rewriting): at least BITS_CHUNK practices a call, in at most
#: BITS_CALLS calls, within the bounds of bitmap_index.refresh_many() (no more in a call
#: than the stored phrases are refreshed for; a rebuild beyond a few calls). A call
#: holds its practices' values, ~3 kB a practice: 10,000 rows in one call peaked at
#: 257-269 MB, in two at 242-246 MB (`bench_import`).
BITS_CHUNK = 1_000
BITS_CALLS = 2

#: What the end of the import reads of a saved practice (flush, write_translations,
#: _record_history): the rest of it is let go of once it is saved. A field let go of and
#: read all the same is read again from the database (a deferred field).
KEPT_AFTER_SAVE = frozenset(
    (
        Practice._meta.pk.attname,
        "_state",
        "_import_new",
        "_import_translations",
        "_import_search_changed",
        "_history_user",
        "_change_reason",
    )
)

#: The vectors' texts computed on a second connection during the rows (TextVectors).
PARALLEL_VECTORS = True

#: Written by every update, whichever columns changed.
ALWAYS_UPDATED = ("updated_at", "updated_by")


def update_in_bulk(practices: list[Practice], fields: list[str], batch_size=None) -> None:
    """bulk_update(), except for the columns that hold one value in every practice (when
    and by whom they changed, a status set for all): one plain UPDATE for those, as
    Django's bulk_update() writes a CASE with one WHEN per practice for every column."""
    same, varying = {}, []
    for name in fields:
        attname = Practice._meta.get_field(name).attname
        values = {getattr(practice, attname) for practice in practices}
        if len(values) == 1:
            same[attname] = values.pop()
        else:
            varying.append(name)
    if varying and connection.vendor == "postgresql":
        update_rows(Practice, practices, varying)
    elif varying:
        Practice.objects.bulk_update(practices, varying, batch_size=batch_size)
    if same:
        Practice.objects.filter(pk__in=[practice.pk for practice in practices]).update(**same)


def prepared(field, values: list) -> list:
    """The values of a column as the database driver takes them (get_db_prep_save, as in
    bulk_create); ids and texts as they are when they all have the column's type: the
    fields' own preparation of each of 10,000 values is most of the time of a column."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.CharField | models.TextField):
        plain = str
    elif isinstance(target, models.IntegerField | models.AutoField):
        plain = int
    else:
        plain = None
    if plain is not None and all(value is None or type(value) is plain for value in values):
        return values
    return [field.get_db_prep_save(value, connection) for value in values]


def update_rows(model, objects: list, names: list[str]) -> None:
    """bulk_update() on PostgreSQL in one UPDATE … FROM unnest(arrays) per 10,000 objects:
    Django's writes and compiles a CASE with one WHEN per object for every column."""
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    columns = [pk, *fields]
    aliases = [f"c{i}" for i in range(len(columns))]
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
    sets = ", ".join(
        f"{quote(field.column)} = v.{alias}"
        for field, alias in zip(fields, aliases[1:], strict=True)
    )
    table = quote(model._meta.db_table)
    # Names from model metadata, quoted; the values are parameters.
    statement = (
        f"UPDATE {table} SET {sets} "  # noqa: S608
        f"FROM unnest({arrays}) AS v({', '.join(aliases)}) "
        f"WHERE {table}.{quote(pk.column)} = v.c0"
    )
    _in_chunks(statement, objects, columns, lambda obj, field: getattr(obj, field.attname))


def _in_chunks(statement: str, items: list, fields, value) -> None:
    """`statement` once per UNNEST_CHUNK items, its arrays the `fields`' values of the chunk's
    items (`value(item, field)`)."""
    with connection.cursor() as cursor:
        for start in range(0, len(items), UNNEST_CHUNK):
            chunk = items[start : start + UNNEST_CHUNK]
            arrays = [prepared(field, [value(item, field) for item in chunk]) for field in fields]
            cursor.execute(statement, arrays)


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value}, every column of the model but its id: on
    PostgreSQL in one INSERT … SELECT FROM unnest(arrays) per 10,000 rows, without a model
    object per row (~150,000 links, roles and indicators for 10,000 practices); elsewhere
    with bulk_create. Values go through their fields' get_db_prep_save, as in bulk_create."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    if connection.vendor != "postgresql" or set(rows[0]) != {f.attname for f in fields}:
        model.objects.bulk_create((model(**values) for values in rows), batch_size=2000)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    # Names from model metadata, quoted; the values are parameters.
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT * FROM unnest({arrays})"
    )
    _in_chunks(statement, rows, fields, lambda row, field: row[field.attname])


class PrefetchingInstanceLoader(ModelInstanceLoader):
    """Reads the practices a file updates a chunk of slugs at a time, with their
    organisation, programme and indicators, the ids of their links and roles and their
    translations (kept on the resource): comparing a row with its practice
    (skip_unchanged) then costs no query. A chunk is read when the import reaches its
    first row, and the practices of the chunk before are let go (the rows that changed
    them hold them): 10,000 practices with their texts read at once cost ~80 MB."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.key = resource.fields[resource.get_import_id_fields()[0]]
        self.instances: dict = {}
        self.chunks: list[list] = []
        self.chunk_of: dict = {}
        resource.existing_links = {}
        resource.existing_roles = {}
        resource.existing_translations = {}
        if dataset is None or self.key.column_name not in (dataset.headers or []):
            return
        keys = []
        # The key column alone: dataset.dict would make a dict of every row at once.
        for value in dataset[self.key.column_name]:
            try:
                keys.append(self.key.clean({self.key.column_name: value}))
            except ValueError:
                continue  # the row reports its own error
        for start in range(0, len(keys), LOAD_CHUNK):
            chunk = keys[start : start + LOAD_CHUNK]
            for key in chunk:
                self.chunk_of.setdefault(key, len(self.chunks))
            self.chunks.append(chunk)

    def _load(self, keys: list) -> None:
        links = self.resource.existing_links
        roles = self.resource.existing_roles
        translations = self.resource.existing_translations
        self.instances = {}
        # The rows of the chunk before are done: their links and roles were compared and
        # saved (their translations are written at the end of the import, and kept).
        links.clear()
        roles.clear()
        ids = []
        for instance in self.get_queryset().filter(**{f"{self.key.attribute}__in": keys}):
            self.instances[getattr(instance, self.key.attribute)] = instance
            ids.append(instance.pk)
            links[instance.pk] = {name: set() for name in taxonomy_fields()}
            roles[instance.pk] = {}
            translations[instance.pk] = {}
        # The links as id pairs: no model object per link (150,000 for 10,000 rows).
        for name in taxonomy_fields():
            field = Practice._meta.get_field(name)
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            pairs = field.remote_field.through.objects.filter(**{f"{source}__in": ids})
            for practice_id, target_id in pairs.values_list(source, target):
                links[practice_id][name].add(target_id)
        existing = StakeholderRole.objects.filter(practice_id__in=ids)
        for pk, practice_id, stakeholder_id, role in existing.values_list(
            "pk", "practice_id", "stakeholder_id", "role"
        ):
            roles[practice_id][(stakeholder_id, role)] = pk
        for translation in PracticeTranslation.objects.filter(practice_id__in=ids):
            translations[translation.practice_id][translation.language] = translation

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "programme")
            .prefetch_related("indicators")
        )

    def get_instance(self, row):
        key = self.key.clean(row)
        number = self.chunk_of.get(key)
        if number is not None and self.chunks[number] is not None:
            self._load(self.chunks[number])
            self.chunks[number] = None
        return self.instances.get(key)


class BulkPracticeImport:
    """The saving half of PracticeResource's import: a batch of practices in one
    bulk_create / bulk_update (Meta.use_bulk), the links, roles and indicators of new
    practices once they have their ids, and one version per saved practice, in bulk, at
    the end of the import."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.saved: dict[str, list[Practice]] = {"+": [], "~": []}
        self.pending: dict[type, tuple[tuple, list]] = {}
        self.row_results: dict[int, RowResult] = {}
        self.text_vectors: fulltext.TextVectors | None = None
        self.refused_rows = False

    def import_data(self, *args, **kwargs):
        try:
            return super().import_data(*args, **kwargs)
        finally:
            # A failed or refused import too: the second connection closed, its vectors dropped.
            if self.text_vectors is not None:
                self.text_vectors.stop()
                self.text_vectors = None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Practices saved without history, whose versions are written in bulk at the end.
        self.saved: dict[str, list[Practice]] = {"+": [], "~": []}
        self.pending = {}
        self.row_results = {}
        self.refused_rows = False

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        # Saved later, in a batch: kept to report a row the database refuses (_bulk_save).
        self.row_results[kwargs["row_number"]] = row_result

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # One version per row, written in bulk by after_import, instead of one per save
        # and per many-to-many change (each of which re-read the practice).
        instance.skip_history_when_saving = True
        instance._import_new = instance._state.adding
        instance._import_row = (kwargs.get("row_number"), row)
        if (
            self.text_vectors is None
            and not kwargs.get("dry_run")
            and fulltext.uses_postgres()
            and PARALLEL_VECTORS
        ):
            # Only a confirmed import writes vectors: a dry run computes none.
            self.text_vectors = fulltext.TextVectors()

    def note_saved(self, instance: Practice, new: bool) -> None:
        """A practice saved without its version (before_save_instance), with its links:
        _record_history writes the version."""
        if hasattr(instance, "skip_history_when_saving"):
            del instance.skip_history_when_saving
            self.saved["+" if new else "~"].append(instance)
            if self.text_vectors is not None and (
                new or getattr(instance, "_import_search_changed", True)
            ):
                self._compute_vectors(instance)

    def _compute_vectors(self, instance: Practice) -> None:
        """The texts of a practice whose vector will be written, and of the translations
        the row gives it, to the second connection (fulltext.TextVectors) while the rows
        go on."""
        vectors = self.text_vectors
        vectors.add(
            instance.language,
            instance.title,
            instance.summary,
            instance.impact,
            instance.lessons_learnt,
        )
        for language, cells in (getattr(instance, "_import_translations", None) or {}).items():
            vectors.add(
                language, cells["title"], cells["summary"], cells["impact"], cells["lessons_learnt"]
            )

    def pend(self, model, practice: Practice, rows: list[dict]) -> None:
        """Rows linked to a new practice (links, roles, indicators: each has a `practice`
        foreign key), inserted in bulk by flush() once the practice has its id: a new
        practice has no links to compare or delete."""
        if not rows:
            return
        # Held to the end of the import: a tuple of values per row, the columns' names
        # once per table (a dict per link cost ~20 MB for 5,000 new practices).
        columns, pending = self.pending.setdefault(model, (tuple(rows[0]), []))
        pending.extend((practice, *(values[name] for name in columns)) for values in rows)

    def get_bulk_update_fields(self) -> list[str]:
        """The practice's own columns of the import (not the links, roles and indicators,
        written by save_m2m), and who changed it when."""
        names = {field.attribute for field in self.get_import_fields()}
        return [
            field.name
            for field in Practice._meta.concrete_fields
            if not field.primary_key
            and field.name not in self._meta.import_id_fields
            and (field.name in names or field.name in ALWAYS_UPDATED)
        ]

    def _changed_fields(self, practices: list[Practice]) -> list[str]:
        """The columns that changed in at least one of these practices (skip_row): an
        UPDATE of every column of the file costs a CASE per column and row."""
        everything = self.get_bulk_update_fields()
        changed = set(ALWAYS_UPDATED)
        for practice in practices:
            changed.update(getattr(practice, "_import_changed", everything))
        return [name for name in everything if name in changed]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run and not using_transactions:
            self.create_instances.clear()  # nothing to roll back: nothing written
            return
        self._bulk_save(
            self.create_instances,
            lambda practices: Practice.objects.bulk_create(practices, batch_size=batch_size),
            result,
        )
        self._write_linked()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run and not using_transactions:
            self.update_instances.clear()  # nothing to roll back: nothing written
            return
        # bulk_update() does not call the fields' pre_save: updated_at is set here, the
        # same for the batch.
        now = timezone.now()
        for practice in self.update_instances:
            for field in Practice._meta.concrete_fields:
                if getattr(field, "auto_now", False):
                    setattr(practice, field.attname, now)
        fields = self._changed_fields(self.update_instances)
        self._bulk_save(
            self.update_instances,
            lambda practices: update_in_bulk(practices, fields, batch_size),
            result,
        )
        if not self.create_instances:  # new practices waiting for their ids wait for them
            self._write_linked()

    def _write_linked(self) -> None:
        """The links, roles and indicators of the new practices saved so far, and the
        translations of the rows imported so far, written a batch at a time: held to the
        end, the translations' texts (~25 MB for 10,000 practices) were the most an import
        held after its rows. Not after a refused row: after_import writes nothing then."""
        if not self.refused_rows:
            self.flush()
            self.write_translations()

    def _bulk_save(self, practices: list[Practice], save, result) -> None:
        """Save a batch in one statement; when the database refuses it, save it again one
        row at a time, each in a savepoint, to report the rows at fault with their number
        (django-import-export would report one error for the whole batch)."""
        if not practices:
            return
        try:
            with transaction.atomic():
                save(practices)
        except DatabaseError:
            for practice in practices:
                try:
                    with transaction.atomic():
                        save([practice])
                except DatabaseError as error:
                    self.refused_rows = True
                    number, row = practice._import_row
                    row_result = self.row_results[number]
                    row_result.import_type = RowResult.IMPORT_TYPE_ERROR
                    row_result.errors.append(
                        self.get_error_result_class()(error, row=row, number=number)
                    )
        finally:
            for practice in practices:
                # Saved: what the end of the import still reads of it (its id, who saved
                # it why, its translations) is kept, and its texts and other values let
                # go of; held to the end, 10,000 practices cost ~10 kB each.
                for name in [name for name in practice.__dict__ if name not in KEPT_AFTER_SAVE]:
                    del practice.__dict__[name]
            practices.clear()

    def flush(self) -> None:
        for model, (columns, pending) in self.pending.items():
            for start in range(0, len(pending), UNNEST_CHUNK):
                insert_rows(
                    model,
                    [
                        {"practice_id": practice.pk, **dict(zip(columns, values, strict=True))}
                        for practice, *values in pending[start : start + UNNEST_CHUNK]
                    ],
                )
        self.pending = {}

    def write_translations(self) -> None:
        """Rows that need the ids of the practices and indicators just written
        (TranslatedColumns, reports/resources/translations.py)."""

    def _record_history(self) -> None:
        """One version per imported practice, with its many-to-many links, in bulk."""
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        versions = []
        for kind, practices in self.saved.items():
            versions.extend(copy_versions(practices, kind))
        for field in Practice.history.model._history_m2m_fields:
            statement = link_history_statement(field)
            with connection.cursor() as cursor:
                for start in range(0, len(versions), LOAD_CHUNK):
                    chunk = versions[start : start + LOAD_CHUNK]
                    cursor.execute(statement % ", ".join(["%s"] * len(chunk)), chunk)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return  # rolled back: nothing to write, record or refresh
        self.flush()  # in a dry run too: the report holds what a confirmation would do
        self.write_translations()
        if kwargs.get("dry_run"):
            return
        self._record_history()
        saved = [practice.pk for practices in self.saved.values() for practice in practices]
        if saved:
            # index.refresh(saved), without the vectors of the updated practices whose
            # searched texts, names and translations are as they were: PostgreSQL's
            # to_tsvector of ~5 kB of text per practice is most of a large import's time.
            searched = [practice.pk for practice in self.saved["+"]]
            searched.extend(
                practice.pk
                for practice in self.saved["~"]
                if getattr(practice, "_import_search_changed", True)
            )
            # Their texts' vectors were computed on a second connection meanwhile
            # (before_save_instance): this connection joins them.
            known = self.text_vectors.finish() if self.text_vectors is not None else None
            if searched:
                fulltext.write_vectors(
                    Practice.objects.filter(pk__in=sorted(searched)), known=known
                )
            if known:
                self.text_vectors.drop()
            # The facet bits a chunk of practices at a time (BITS_CHUNK), or all at once.
            bitmap_index.refresh_many(saved, chunk=max(BITS_CHUNK, -(-len(saved) // BITS_CALLS)))
            signals.sources_written.send(Practice)  # bulk writes send no post_save
