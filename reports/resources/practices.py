"""The spreadsheet layout of practices, used by the admin, the coordinators' exports and
imports, the open-data download and the export_data / import_data commands.

PracticeResource holds the columns and what a row does: the cells that are not one model
field (taxonomies, stakeholders with their role, indicators) are read and written by
reports/resources/cells.py; the rows are saved in bulk, with their history, by
reports/resources/bulk.py. An unknown value is an error of its row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import cached_property
from import_export import fields, resources, widgets

from attachments.models import file_path
from practices.models import (
    Indicator,
    Practice,
    Programme,
    StakeholderRole,
)
from publishing.workflow import Status
from reports.resources.bulk import LOAD_CHUNK, BulkPracticeImport, PrefetchingInstanceLoader
from reports.resources.cells import (
    SEPARATOR,
    format_indicator,
    indicator_key,
    parse_indicators,
    parse_roles,
    taxonomy_fields,
)
from reports.resources.columns import ColumnCleaning
from reports.resources.translations import (
    TranslatedColumns,
    columns_resource,
    translation_columns,
)
from reports.spreadsheets import (
    Lookup,
    NameOrSlugForeignKeyWidget,
    PortalResourceMixin,
    choice_field,
    country_field,
    names_field,
)
from search import dimensions
from stakeholders.models import Stakeholder

#: The practice's own fields its search vector is made of (search/fulltext.py).
SEARCHED_FIELDS = frozenset(("title", "summary", "impact", "lessons_learnt", "city", "language"))


def with_taxonomies(*columns: str) -> list[str]:
    """The columns, then those of the list's categories not among them: a category added
    to search/dimensions.py gets its column at the end."""
    return [*columns, *(name for name in taxonomy_fields() if name not in columns)]


class PracticeResource(
    TranslatedColumns,
    BulkPracticeImport,
    ColumnCleaning,
    PortalResourceMixin,
    columns_resource(),
    resources.ModelResource,
):
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
    country = country_field()
    status = choice_field("status", Status.choices)
    # A blank language is the forms' default, as when the column is left out.
    language = choice_field(
        "language", settings.LANGUAGES, blank=Practice._meta.get_field("language").default
    )
    is_sample = fields.Field(
        attribute="is_sample",
        column_name="is_sample",
        widget=widgets.BooleanWidget(),
        default=False,
    )
    # Rows of other tables, read and written by the methods below.
    stakeholders = fields.Field(column_name="stakeholders")
    indicators = fields.Field(column_name="indicators")
    # The addresses of its documents and images: written by exports, ignored by imports.
    files = fields.Field(column_name="files", readonly=True)

    required_columns = ("slug", "title", "status", "organisation", "summary", "country")
    computed_columns = ("files",)
    export_select_related = ("organisation", "programme")
    export_prefetch_related = (
        *taxonomy_fields(),
        "indicators",
        "roles__stakeholder",
        "translations",
        "attachments",
    )

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
            "files",
            *translation_columns(),
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
        # report the rows at fault (BulkPracticeImport, reports/resources/bulk.py).
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
        # Filled by the instance loader: link ids and roles of the existing practices.
        self.existing_links: dict[int, dict[str, set[int]]] = {}
        self.existing_roles: dict[int, dict[tuple[int, str], int]] = {}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.stakeholder_lookup.reset()

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
        # full_clean(validate_unique=False, validate_constraints=False), each column's
        # values checked once (ColumnCleaning.clean_fields).
        field_errors = self.clean_fields(instance, exclude)
        if field_errors:
            errors = ValidationError(field_errors).update_error_dict(errors)
        try:
            instance.clean()
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

    def dehydrate_stakeholders(self, practice: Practice) -> str:
        return SEPARATOR.join(
            f"{role.stakeholder.name} ({role.role})" for role in practice.roles.all()
        )

    def dehydrate_indicators(self, practice: Practice) -> str:
        return SEPARATOR.join(
            format_indicator(indicator) for indicator in practice.indicators.all()
        )

    def dehydrate_files(self, practice: Practice) -> str:
        return SEPARATOR.join(file_path(file.key) for file in practice.attachments.all())

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
        # Let go of the practice's values as read before the row (its texts, several kB)
        # once compared: the practice itself is kept to the end of the import.
        before = instance.__dict__.pop("_import_original", None)
        if instance.pk is None or import_validation_errors:
            return False
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
        return (
            self._roles_unchanged(instance)
            and self._indicators_unchanged(instance)
            and self.translations_unchanged(instance, [i.pk for i in instance.indicators.all()])
        )

    def _links_unchanged(self, instance, field, row) -> bool:
        known = self.existing_links.get(instance.pk)
        if known is None:
            current = {obj.pk for obj in getattr(instance, field.attribute).all()}
        else:
            current = known[field.attribute]
        return current == {obj.pk for obj in self.clean_cell(field, row)}

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
        if not new:
            # Before the roles change: whether its search vector must be written again.
            instance._import_search_changed = self._search_changed(instance)
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
        self.note_translations(instance)
        self.note_saved(instance, new)

    def _search_changed(self, instance) -> bool:
        """Whether the row changes what the search vector of an existing practice is made
        of (search/fulltext.py: its texts, city and language, its stakeholders' names,
        its translations): a vector is the costliest part of a saved practice."""
        changed = getattr(instance, "_import_changed", None)
        return (
            changed is None
            or not changed.isdisjoint(SEARCHED_FIELDS)
            or not self._roles_unchanged(instance)
            or not self.translations_unchanged(instance, [i.pk for i in instance.indicators.all()])
        )

    def _save_links(self, instance, field, new: bool, row) -> None:
        """The links of one many-to-many column: inserted in one statement for a new
        practice, left alone when unchanged (compared with the prefetched ones)."""
        wanted = self.clean_cell(field, row)
        if new:
            # Not saved yet (bulk mode): no related manager, the through model instead.
            relation = Practice._meta.get_field(field.attribute)
            through = relation.remote_field.through
            target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
            self.pend(through, instance, [{target: obj.pk} for obj in wanted])
        elif not self._links_unchanged(instance, field, row):
            getattr(instance, field.attribute).set(wanted)
