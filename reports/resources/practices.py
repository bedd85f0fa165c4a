"""The spreadsheet layout of practices, used by the admin, the coordinators' exports and
imports, the open-data download and the export_data / import_data commands.

Taxonomies are written by name (objectives by number, principles by slug) and read by
name or slug, ignoring case. Stakeholders are written with their role,
"ASTICUDE (lead)|ACPP (partner)"; indicators as "label = achieved / target unit",
"Narrative creators trained = 43 / 40 people". An unknown value is an error of its row.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult
from simple_history.models import HistoricalRecords

from practices.models import (
    Indicator,
    Practice,
    Programme,
    StakeholderRole,
)
from publishing.workflow import Status
from reports.spreadsheets import (
    Lookup,
    NameOrSlugForeignKeyWidget,
    PortalResourceMixin,
    choice_field,
    names_field,
    unknown,
)
from search import dimensions, index
from stakeholders.models import Stakeholder

SEPARATOR = "|"


def taxonomy_fields() -> list[str]:
    return [taxonomy.path for taxonomy in dimensions.taxonomies()]


def with_taxonomies(*columns: str) -> list[str]:
    """The columns, then those of the list's categories not among them: a category added
    to search/dimensions.py gets its column at the end."""
    return [*columns, *(name for name in taxonomy_fields() if name not in columns)]


ROLE_PATTERN = re.compile(r"^(?P<name>.+)\((?P<role>[^()]*)\)\s*$")


def format_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def parse_number(text: str, label: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("“%(value)s” in indicator “%(label)s” is not a number.")
            % {"value": text, "label": label}
        ) from None
    if number < 0 or not number.is_finite():
        raise ValueError(
            _("Indicator “%(label)s” cannot have a negative value.") % {"label": label}
        )
    return number


def split_cell(value) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(SEPARATOR) if part.strip()]


def parse_roles(value, stakeholders: Lookup) -> list[tuple[Stakeholder, str]]:
    roles = {code: code for code in StakeholderRole.Role.values}
    roles.update({str(label).casefold(): code for code, label in StakeholderRole.Role.choices})
    parsed, missing = [], []
    for part in split_cell(value):
        match = ROLE_PATTERN.match(part)
        if not match:
            raise ValueError(
                _("“%(value)s” has no role: write it as “Name (role)”, e.g. “ASTICUDE (lead)”.")
                % {"value": part}
            )
        name, role = match["name"].strip(), match["role"].strip().casefold()
        if role not in roles:
            raise ValueError(
                _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": match["role"].strip(), "roles": ", ".join(StakeholderRole.Role.values)}
            )
        stakeholder = stakeholders.find(name)
        if stakeholder is None:
            missing.append(name)
        else:
            parsed.append((stakeholder, roles[role]))
    if missing:
        raise unknown(Stakeholder, missing)
    return list(dict.fromkeys(parsed))


def parse_indicators(value) -> list[dict]:
    parsed = []
    for position, part in enumerate(split_cell(value)):
        label, equals, figures = part.rpartition("=")
        achieved, slash, rest = figures.partition("/")
        if not equals or not slash or not label.strip():
            raise ValueError(
                _(
                    "“%(value)s” is not an indicator: write “label = achieved / target unit”,"
                    " e.g. “Narrative creators trained = 43 / 40 people”."
                )
                % {"value": part}
            )
        label = label.strip()
        target_text, _space, unit = rest.strip().partition(" ")
        parsed.append(
            {
                "label": label,
                "achieved": parse_number(achieved, label),
                "target": parse_number(target_text, label),
                "unit": unit.strip(),
                "position": position,
            }
        )
    return parsed


def format_indicator(indicator: Indicator) -> str:
    text = (
        f"{indicator.label} = {format_number(indicator.achieved)} / "
        f"{format_number(indicator.target)}"
    )
    return f"{text} {indicator.unit}".rstrip()


def indicator_key(values: dict) -> tuple:
    return tuple(values[key] for key in ("label", "achieved", "target", "unit", "position"))


#: Existing practices are read this many at a time, with their links (a bounded IN list).
LOAD_CHUNK = 500

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
    if varying:
        Practice.objects.bulk_update(practices, varying, batch_size=batch_size)
    if same:
        Practice.objects.filter(pk__in=[practice.pk for practice in practices]).update(**same)


def link_history_statement(field) -> str:
    """An INSERT … SELECT that copies the links of one many-to-many field into the
    history of the versions whose ids fill its IN (%s): done in the database, without a
    model object per link (about 100,000 for 10,000 practices)."""
    history = Practice.history.model
    model = HistoricalRecords.m2m_models[field]
    through = field.remote_field.through
    quote = connection.ops.quote_name
    copied = [f.attname for f in through._meta.concrete_fields]
    columns = [model._meta.get_field(name).column for name in copied]
    columns.append(model._meta.get_field("history").column)
    values = [f"link.{quote(through._meta.get_field(name).column)}" for name in copied]
    version_id = f"version.{quote(history._meta.pk.column)}"
    # Names from model metadata, quoted; the ids are parameters.
    table = quote(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"SELECT {', '.join(values)}, {version_id} "
        f"FROM {quote(through._meta.db_table)} link "
        f"JOIN {quote(history._meta.db_table)} version "
        f"ON version.{quote(history._meta.get_field('id').column)} "
        f"= link.{quote(field.m2m_column_name())} "
        f"WHERE {version_id} IN (%s)"
    )


class PrefetchingInstanceLoader(ModelInstanceLoader):
    """Reads the practices a file updates before the first row, a chunk of slugs at a
    time, with their organisation, programme and indicators, and the ids of their links and
    roles (kept on the resource): comparing a row with its practice (skip_unchanged) then
    costs no query."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.key = resource.fields[resource.get_import_id_fields()[0]]
        self.instances: dict = {}
        if dataset is None or self.key.column_name not in (dataset.headers or []):
            return
        keys = []
        for row in dataset.dict:
            try:
                keys.append(self.key.clean(row))
            except ValueError:
                continue  # the row reports its own error
        resource.existing_links = links = {}
        resource.existing_roles = roles = {}
        for start in range(0, len(keys), LOAD_CHUNK):
            chunk = keys[start : start + LOAD_CHUNK]
            ids = []
            for instance in self.get_queryset().filter(**{f"{self.key.attribute}__in": chunk}):
                self.instances[getattr(instance, self.key.attribute)] = instance
                ids.append(instance.pk)
                links[instance.pk] = {name: set() for name in taxonomy_fields()}
                roles[instance.pk] = {}
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

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "programme")
            .prefetch_related("indicators")
        )

    def get_instance(self, row):
        return self.instances.get(self.key.clean(row))


class PracticeResource(PortalResourceMixin, resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=NameOrSlugForeignKeyWidget(Stakeholder),
    )
    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=NameOrSlugForeignKeyWidget(Programme),
    )
    country = fields.Field(attribute="country", column_name="country")
    status = choice_field("status", Status.choices)
    language = choice_field("language", settings.LANGUAGES)
    is_sample = fields.Field(
        attribute="is_sample",
        column_name="is_sample",
        widget=widgets.BooleanWidget(),
        default=False,
    )
    # Rows of other tables, read and written by the methods below.
    stakeholders = fields.Field(column_name="stakeholders")
    indicators = fields.Field(column_name="indicators")

    required_columns = ("slug", "title", "status", "organisation", "summary", "country")
    export_select_related = ("organisation", "programme")
    export_prefetch_related = (*taxonomy_fields(), "indicators", "roles__stakeholder")

    class Meta:
        model = Practice
        import_id_fields = ["slug"]
        fields = with_taxonomies(
            "slug",
            "title",
            "status",
            "organisation",
            "summary",
            "impact",
            "lessons_learnt",
            "city",
            "local_government",
            "country",
            "mayor",
            "start_date",
            "end_date",
            "programme",
            "cooperation_levels",
            "language",
            "themes",
            "objectives",
            "principles",
            "target_groups",
            "areas",
            "stakeholders",
            "indicators",
            "is_sample",
            "published_at",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True
        # No deep copy of each practice before its row (the "original" of a diff): the
        # report shows no field-by-field diff, and skip_row compares the row with the
        # practice's own values noted by after_init_instance.
        skip_diff = True
        instance_loader_class = PrefetchingInstanceLoader
        # Rows are saved with one bulk_create / bulk_update per batch instead of one
        # INSERT / UPDATE and a savepoint per row; the import stays in one transaction
        # (run_import), and a batch the database refuses is saved again row by row to
        # report the rows at fault (bulk_create / bulk_update below).
        use_bulk = True
        batch_size = LOAD_CHUNK

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """The categories of the list's dimensions (search/dimensions.py) are written by
        name (objectives by number, principles by slug) and read by any of their keys,
        ignoring case; an unknown one is an error of its row."""
        for taxonomy in dimensions.taxonomies():
            if taxonomy.path == field_name:
                return names_field(field_name, taxonomy.model, taxonomy.sheet_keys())
        return super().field_from_django_field(field_name, django_field, readonly)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stakeholder_lookup = Lookup(Stakeholder, ("name", "slug"))
        self.saved: dict[str, list[Practice]] = {"+": [], "~": []}
        self.pending: dict[type, list] = {}
        self.row_results: dict[int, RowResult] = {}
        # Filled by the instance loader: link ids and roles of the existing practices.
        self.existing_links: dict[int, dict[str, set[int]]] = {}
        self.existing_roles: dict[int, dict[tuple[int, str], int]] = {}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.stakeholder_lookup.reset()
        # Practices saved without history, whose versions are written in bulk at the end.
        self.saved: dict[str, list[Practice]] = {"+": [], "~": []}
        self.pending = {}
        self.row_results = {}

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        # Saved later, in a batch: kept to report a row the database refuses (_bulk_save).
        self.row_results[kwargs["row_number"]] = row_result

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean without its per-row queries, with the same errors:

        - the check constraint (an end before the start) is tested in Python; Django tests
          it with a query between two savepoints;
        - a foreign key found by the widget's lookup was just read from its table: it is
          not looked up again (an empty one is still cleaned: "this field is required");
        - the slug is the import's key: an existing practice keeps its own, and a new one
          was not found by the instance loader, so it is free (the file's own duplicates
          are refused before the import)."""
        errors = dict(import_validation_errors or {})
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            (constraint,) = Practice._meta.constraints
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(constraint.get_violation_error_message())
            )
        exclude = set(errors)
        # A choice (status, language, country) that is one of the field's codes: Django
        # would list all the choices again for each row (250 countries).
        exclude.update(
            name
            for name, codes in self.choice_codes.items()
            if str(getattr(instance, name)) in codes
        )
        exclude.update(
            field.name
            for field in Practice._meta.concrete_fields
            if field.many_to_one
            and getattr(instance, field.attname) is not None
            and field.name in self.fields
        )
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique and "slug" not in errors:
            try:
                instance.validate_unique(exclude=[*errors, "slug"])
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @cached_property
    def choice_codes(self) -> dict[str, set[str]]:
        return {
            field.name: {str(code) for code, _label in field.flatchoices}
            for field in Practice._meta.concrete_fields
            if field.choices and field.name in self.fields
        }

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # One version per row, written in bulk by after_import, instead of one per save
        # and per many-to-many change (each of which re-read the practice).
        instance.skip_history_when_saving = True
        instance._import_new = instance._state.adding
        instance._import_row = (kwargs.get("row_number"), row)

    def dehydrate_stakeholders(self, practice: Practice) -> str:
        return SEPARATOR.join(
            f"{role.stakeholder.name} ({role.role})" for role in practice.roles.all()
        )

    def dehydrate_indicators(self, practice: Practice) -> str:
        return SEPARATOR.join(
            format_indicator(indicator) for indicator in practice.indicators.all()
        )

    def extra_column_parsers(self) -> dict:
        return {
            "stakeholders": lambda value: parse_roles(value, self.stakeholder_lookup),
            "indicators": parse_indicators,
        }

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        # What skip_row compares the row with (skip_diff: no deep copy of the practice).
        if not new:
            instance._import_original = {
                field.attribute: field.get_value(instance) for field in self._own_fields
            }

    @cached_property
    def _own_fields(self) -> list:
        """The import's fields stored on the practice itself (not links, roles, indicators)."""
        return [
            field
            for field in self.get_import_fields()
            if field.attribute and not isinstance(field.widget, widgets.ManyToManyWidget)
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """django-import-export's skip_unchanged, with the links compared with the
        prefetched ones, and the roles and indicators too. The practice's own columns that
        changed are kept on it: bulk_update writes only those (and who changed it when)."""
        if instance.pk is None or import_validation_errors:
            return False
        before = instance._import_original
        instance._import_changed = {
            field.attribute
            for field in self._own_fields
            if field.get_value(instance) != before[field.attribute]
        }
        if instance._import_changed:
            return False
        for field in self.get_import_fields():
            if (
                isinstance(field.widget, widgets.ManyToManyWidget)
                and field.column_name in row
                and not self._links_unchanged(instance, field, row)
            ):
                return False
        return self._roles_unchanged(instance) and self._indicators_unchanged(instance)

    def _links_unchanged(self, instance, field, row) -> bool:
        known = self.existing_links.get(instance.pk)
        if known is None:
            current = {obj.pk for obj in getattr(instance, field.attribute).all()}
        else:
            current = known[field.attribute]
        return current == {obj.pk for obj in field.clean(row)}

    def _current_roles(self, instance) -> dict[tuple[int, str], int]:
        known = self.existing_roles.get(instance.pk)
        if known is None:
            return {(r.stakeholder_id, r.role): r.pk for r in instance.roles.all()}
        return known

    def _roles_unchanged(self, instance) -> bool:
        wanted = getattr(instance, "_import_stakeholders", None)
        if wanted is None:
            return True
        current = set(self._current_roles(instance))
        return current == {(stakeholder.pk, role) for stakeholder, role in wanted}

    def _indicators_unchanged(self, instance) -> bool:
        wanted = getattr(instance, "_import_indicators", None)
        if wanted is None:
            return True
        current = [
            indicator_key({**vars(indicator), "position": position})
            for position, indicator in enumerate(instance.indicators.all())
        ]
        return current == [indicator_key(values) for values in wanted]

    def save_m2m(self, instance, row, **kwargs):
        new = getattr(instance, "_import_new", False)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                self._save_links(instance, field, new, row)
        roles = getattr(instance, "_import_stakeholders", None)
        if roles is not None:
            wanted = {(stakeholder.pk, role) for stakeholder, role in roles}
            current = {} if new else self._current_roles(instance)
            obsolete = [pk for key, pk in current.items() if key not in wanted]
            if obsolete:
                StakeholderRole.objects.filter(pk__in=obsolete).delete()
            missing = [
                {"stakeholder_id": stakeholder.pk, "role": role}
                for stakeholder, role in roles
                if (stakeholder.pk, role) not in current
            ]
            if new:
                self.pend(StakeholderRole, instance, missing)
            elif missing:
                StakeholderRole.objects.bulk_create(
                    StakeholderRole(practice=instance, **values) for values in missing
                )
        indicators = getattr(instance, "_import_indicators", None)
        if indicators is not None and (new or not self._indicators_unchanged(instance)):
            if new:
                self.pend(Indicator, instance, indicators)
            else:
                instance.indicators.all().delete()
                Indicator.objects.bulk_create(
                    Indicator(practice=instance, **values) for values in indicators
                )
        if hasattr(instance, "skip_history_when_saving"):
            del instance.skip_history_when_saving
            self.saved["+" if new else "~"].append(instance)

    def _save_links(self, instance, field, new: bool, row) -> None:
        """The links of one many-to-many column: inserted in one statement for a new
        practice, left alone when unchanged (compared with the prefetched ones)."""
        wanted = field.clean(row)
        if new:
            # Not saved yet (bulk mode): no related manager, the through model instead.
            relation = Practice._meta.get_field(field.attribute)
            through = relation.remote_field.through
            target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
            self.pend(through, instance, [{target: obj.pk} for obj in wanted])
        elif not self._links_unchanged(instance, field, row):
            getattr(instance, field.attribute).set(wanted)

    def pend(self, model, practice: Practice, rows: list[dict]) -> None:
        """Rows linked to a new practice (links, roles, indicators: each has a `practice`
        foreign key), inserted in bulk by flush() once the practice has its id: a new
        practice has no links to compare or delete."""
        self.pending.setdefault(model, []).extend((practice, values) for values in rows)

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
                    number, row = practice._import_row
                    row_result = self.row_results[number]
                    row_result.import_type = RowResult.IMPORT_TYPE_ERROR
                    row_result.errors.append(
                        self.get_error_result_class()(error, row=row, number=number)
                    )
        finally:
            practices.clear()

    def flush(self) -> None:
        for model, rows in self.pending.items():
            # Ids, not model objects, in the foreign keys: no related-object bookkeeping
            # for each of the ~150,000 rows of 10,000 practices.
            objects = [model(practice_id=practice.pk, **values) for practice, values in rows]
            model.objects.bulk_create(objects, batch_size=2000)
        self.pending = {}

    def _record_history(self) -> None:
        """One version per imported practice, with its many-to-many links, in bulk."""
        versions = []
        for kind, practices in self.saved.items():
            if practices:
                created = Practice.history.bulk_history_create(
                    practices, update=kind == "~", batch_size=LOAD_CHUNK
                )
                versions.extend(version.pk for version in created)
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
        if kwargs.get("dry_run"):
            return
        self._record_history()
        saved = [practice.pk for practices in self.saved.values() for practice in practices]
        if saved:
            index.refresh(saved)
