"""The dimensions of the practice list, each defined once.

A dimension is what a visitor filters and counts practices by: a theme, a country, the
year a practice was active... Its entry in DIMENSIONS says everything about it: the URL
parameter, the label, the path from Practice to its values (read through the models'
_meta: the link table of a many-to-many field, a foreign key, a column), the key of an
option in URLs, its label and the order of the options. The FilterSet (search/filters.py),
the facet options (search/facet_options.py), the counts and the bitmap index
(search/counts.py, search/bitmap_index.py), the exports' taxonomy columns
(reports/resources/practices.py), the bench data and the load test (perf/) read this list
when they run: adding a dimension is one entry here, plus its tests.

The counts and the index hold a value as the primary key of a related record (a theme) or
as the value of a column (a country code, a city, a stakeholder's kind).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

import django_filters
from django.db.models import CharField, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from practices.models import Practice, PracticeTranslation
from practices.names import is_translated, localised, localised_sql
from search.filter_fields import AnyValuesFilter, KeysFilter, KnownValuesFilter, YearsFilter


def _text(expression) -> Cast:
    return Cast(expression, output_field=CharField())


@dataclass(frozen=True)
class Dimension:
    """A dimension whose values are reached from Practice by `path`.

    With a `key` the path ends at a related model (a theme, a stakeholder): its records are
    the options, addressed by `key` in URLs and labelled by `title`. Without one the path
    ends at a column (country, city, a stakeholder's kind): its values are the options,
    labelled by the field's choices when it has some.
    """

    name: str
    label: str
    path: str
    key: str = ""
    title: str = ""
    #: The label of an option from its {key} and {label} (its title or its choice's label).
    label_format: str = "{label}"
    #: Options by "count" (most practices first), "number" (the key as a number) or
    #: "choices" (the order of the key field's choices).
    order: str = "count"
    #: Options offered: the most used overall and the selected ones (None: all of them).
    limit: int | None = None
    #: Unfolded on the list page.
    open: bool = False
    #: How a spreadsheet writes an option (reports/resources): the title unless said.
    sheet_key: str = ""

    # -- the models -----------------------------------------------------------------------

    @cached_property
    def relation(self):
        """The field of Practice where the path starts."""
        return Practice._meta.get_field(self.path.split("__")[0])

    @cached_property
    def model(self):
        """The related model whose records are the options, or None for a column."""
        return self.relation.related_model if self.key else None

    @cached_property
    def key_field(self):
        """The field an option is addressed by (its choices, if any, label the options)."""
        if self.model is not None:
            return self.model._meta.get_field(self.key)
        model, field = Practice, None
        for part in self.path.split("__"):
            field = model._meta.get_field(part)
            model = field.related_model or model
        return field

    @property
    def _through(self):
        """The link model of a many-to-many path, or None."""
        return getattr(self.relation.remote_field, "through", None)

    @property
    def is_taxonomy(self) -> bool:
        """A plain many-to-many category of practices (a theme, an objective...)."""
        return (
            self.model is not None
            and self._through is not None
            and self._through._meta.auto_created
        )

    @property
    def repeats(self) -> bool:
        """A practice may reach one value twice (a stakeholder with two roles in it)."""
        return self._through is not None and not self._through._meta.auto_created

    # -- filtering ------------------------------------------------------------------------

    def filter(self) -> django_filters.Filter:
        """This dimension's filter in the FilterSet (search/filters.py)."""
        common = {"field_name": self.name, "label": self.label, "method": "apply"}
        if self.model is not None:
            # A callable: the records are read by the form field, made once per language
            # (search/filters.py), not by each request's filters (a QuerySet each, 7 a page).
            return KeysFilter(queryset=self._records, to_field_name=self.key, **common)
        if self.key_field.choices:
            return KnownValuesFilter(choices=lambda: list(self.choice_labels().items()), **common)
        return AnyValuesFilter(**common)

    def _records(self, request=None) -> QuerySet:
        return self.model.objects.all()

    def condition(self, values: Iterable) -> Q:
        """Practices having any of these values (records, primary keys or column values)."""
        if not self.relation.many_to_many:
            return Q(**{f"{self.path}__in": list(values)})
        # EXISTS over the link table rather than a join: no practice is repeated, and the
        # planner may stop at the first link.
        through = self.relation.remote_field.through
        target = self.relation.m2m_reverse_field_name()
        rest = self.path.partition("__")[2]
        lookup = f"{target}__{rest}__in" if rest else f"{target}__in"
        links = through.objects.filter(
            **{self.relation.m2m_field_name(): OuterRef("pk"), lookup: list(values)}
        )
        return Q(Exists(links))

    def index_value(self, value) -> str:
        """A cleaned filter value as the counts hold it: a primary key or a column value."""
        return str(value.pk if self.model is not None else value)

    def key_of(self, value) -> str:
        """A cleaned filter value as URLs hold it: the option's key."""
        return str(getattr(value, self.key) if self.model is not None else value)

    # -- counting -------------------------------------------------------------------------

    def _having(self, practices: QuerySet) -> QuerySet:
        having = practices.filter(**{f"{self.path}__isnull": False})
        if self.model is None and isinstance(self.key_field, CharField):
            having = having.exclude(**{self.path: ""})
        return having

    def pair_queries(self, practices: QuerySet) -> list[QuerySet]:
        """The queries of `pairs`, for a dimension whose values come from several tables."""
        return [self.pairs(practices)]

    def pairs(self, practices: QuerySet) -> QuerySet:
        """(practice id, dimension, value) of these practices, for the bitmap index."""
        rows = (
            self._having(practices)
            .annotate(f_dimension=Value(self.name), f_value=_text(F(self.path)))
            .values_list("pk", "f_dimension", "f_value")
            .order_by()
        )
        return rows.distinct() if self.repeats else rows

    def counted(self, practices: QuerySet) -> QuerySet:
        """(dimension, value, count, key, title) of the values of these practices in one
        GROUP BY: the plain way of counting, where the bitmap index cannot."""
        related = self.model is not None
        return (
            self._having(practices)
            .annotate(
                f_dimension=Value(self.name),
                f_value=_text(F(self.path)),
                f_key=_text(F(f"{self.path}__{self.key}" if related else self.path)),
                f_title=_text(self._title() if related else F(self.path)),
            )
            .values("f_dimension", "f_value", "f_key", "f_title")
            .annotate(f_count=Count("pk", distinct=self.repeats))
            .values_list("f_dimension", "f_value", "f_count", "f_key", "f_title")
            .order_by()
        )

    def _title(self):
        """An option's title in the page's language where it is translated (a theme's
        name); as it is otherwise (a stakeholder's name)."""
        path = f"{self.path}__{self.title}"
        return localised(path) if is_translated(self.model, self.title) else F(path)

    def labels_sql(self, quote) -> tuple[str, list] | None:
        """SELECT dimension, value, key, title of every option record, joined to the bitmap
        index's counts; None for a dimension of column values. Names from _meta, quoted;
        the title in the page's language, like `counted`."""
        if self.model is None:
            return None
        meta = self.model._meta
        if is_translated(self.model, self.title):
            title = localised_sql(self.model, self.title, quote)
        else:
            title = quote(meta.get_field(self.title).column)
        columns = [quote(meta.pk.column), quote(meta.get_field(self.key).column), title]
        selected = ", ".join(f"({column})::text" for column in columns)
        return f"SELECT %s, {selected} FROM {quote(meta.db_table)}", [self.name]  # noqa: S608

    def index_selection(self, table: str, values: list[str]) -> tuple[str, list]:
        """SQL of the bitmap of the practices having one of `values`, from the index."""
        return _bits_where(table, "dimension = %s AND value = ANY(%s)"), [self.name, values]

    def index_rows(self, table: str, selection: str) -> tuple[str, list] | None:
        """SQL of this dimension's rows of counts when the index cannot count its stored
        values one by one (years); None: each stored value is an option."""
        return None

    def stored(self) -> tuple[str, ...]:
        """The names under which the index stores this dimension's values."""
        return (self.name,)

    @property
    def derives_options(self) -> bool:
        """Its options are not its stored values but made from them (a year from ranges
        and open starts): it counts them itself (`counts`, `index_rows`)."""
        return len(self.stored()) > 1

    # -- showing --------------------------------------------------------------------------

    def choice_labels(self) -> dict[str, str]:
        """{key: label} when the key field has choices (a country, a kind), in the active
        language, in the choices' order; {} otherwise."""
        if not self.key_field.choices:
            return {}
        return _choice_labels(self.key_field, get_language())

    def option_label(self, key: str, title: str, choices: dict[str, str]) -> str:
        label = choices.get(key) or title
        if self.label_format == "{label}":  # most dimensions, hundreds of options a page
            return label
        return self.label_format.format(key=key, label=label)

    def value_label(self, value, choices: dict[str, str]) -> str:
        """The label of a cleaned filter value: a record's title in the page's language
        (through its translated field's descriptor), a column value's choice label."""
        title = str(getattr(value, self.title)) if self.model is not None else str(value)
        return self.option_label(self.key_of(value), title, choices)

    def sort_key(self, choices: dict[str, str]):
        if self.order == "number":
            return lambda option: int(option.value)
        if self.order == "choices":
            order = list(choices)
            return lambda option: order.index(option.value) if option.value in order else 99
        return lambda option: (-option.count, option.label.casefold())

    def sheet_keys(self) -> tuple[str, ...]:
        """The fields a spreadsheet cell may name an option by, the written one first."""
        return tuple(dict.fromkeys((self.sheet_key or self.title, self.key, self.title)))


def _bits_where(table: str, where: str) -> str:
    """The OR of the index's bitmaps matching `where`. No row means no practice has the
    value: an empty selection (all zeros, as long as the others), not "no filter"."""
    return f"(SELECT COALESCE(bit_or(bits), f0.bits & ~f0.bits) FROM {table} WHERE {where})"  # noqa: S608


@lru_cache(maxsize=64)
def _choice_labels(field, language: str) -> dict[str, str]:
    # Kept per field and language: django-countries sorts its 249 names in the language
    # of the page every time its choices are read.
    return {str(code): str(label) for code, label in field.flatchoices}


class ActiveInYear(Dimension):
    """Practices active in a year: started by the end of the year and not ended before it;
    a practice without an end runs to today.

    The rule has three forms, all here: the ORM condition (`active_in`), the values the
    bitmap index keeps (every year of a closed range under "year", the start year of an
    open one under "year_open": `expand`), and how the index reads them back
    (search/bitmap_index.py selects "year" values, and "year_open" ones up to the latest
    asked year that is not in the future). A test holds the forms equal."""

    OPEN = "year_open"

    def __init__(self, name: str, label: str) -> None:
        super().__init__(name, label, path="start_date")

    def filter(self) -> django_filters.Filter:
        return YearsFilter(field_name=self.name, label=self.label, method="apply")

    @staticmethod
    def active_in(year: int) -> Q:
        started = Q(start_date__isnull=False, start_date__year__lte=year)
        if year <= date.today().year:
            running = Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        else:
            running = Q(end_date__year__gte=year)
        return started & running

    def condition(self, values: Iterable) -> Q:
        combined = Q(pk__in=[])  # no year, no practice: like the other dimensions
        for year in values:
            combined |= self.active_in(int(year))
        return combined

    def index_value(self, value) -> str:
        return str(value)

    def key_of(self, value) -> str:
        return str(value)

    def pairs(self, practices: QuerySet) -> QuerySet:
        """(practice id, dimension, "first-last") of each dated practice ("first-" when it
        has no end), turned into the index's values by `expand`."""
        span = Concat(
            _text(ExtractYear("start_date")),
            Value("-"),
            _text(ExtractYear("end_date")),
            output_field=CharField(),
        )
        return (
            practices.filter(start_date__isnull=False)
            .annotate(f_dimension=Value(self.name), f_value=span)
            .values_list("pk", "f_dimension", "f_value")
            .order_by()
        )

    def expand(self, practice_id: int, span: str) -> list[tuple[int, str, str]]:
        first, _dash, last = span.partition("-")
        if not last:
            return [(practice_id, self.OPEN, first.zfill(4))]
        return [(practice_id, self.name, f"{y:04d}") for y in range(int(first), int(last) + 1)]

    def counts(self, practices: QuerySet) -> dict[str, int]:
        """{year: practices active that year}, from the first start to this year (or the
        last end), in two queries."""
        bounds = practices.aggregate(first=Min("start_date__year"), last=Max("end_date__year"))
        if bounds["first"] is None:
            return {}
        years = range(bounds["first"], max(bounds["last"] or 0, date.today().year) + 1)
        found = practices.aggregate(
            **{f"y{y}": Count("pk", filter=self.active_in(y)) for y in years}
        )
        return {str(y): found[f"y{y}"] for y in years}

    def index_selection(self, table: str, values: list[str]) -> tuple[str, list]:
        """Active in any of these years: closed ranges covering one of them, or open-ended
        practices started by the latest of them that is not in the future."""
        this_year = date.today().year
        past = [int(v) for v in values if v.isdigit() and int(v) <= this_year]
        latest_open = f"{max(past):04d}" if past else None
        where = "(dimension = %s AND value = ANY(%s)) OR (dimension = %s AND value <= %s)"
        return _bits_where(table, where), [self.name, values, self.OPEN, latest_open]

    def index_rows(self, table: str, selection: str) -> tuple[str, list]:
        """One row (dimension, value, count, key, title) per year from the first start to
        this year (or the last closed end), its count under `selection`."""
        this_year = date.today().year
        year = "lpad(y::text, 4, '0')"
        sql = (
            f"SELECT %s, y::text, bit_count((COALESCE((SELECT bits FROM {table} "  # noqa: S608
            f"WHERE dimension = %s AND value = {year}), g.zero) | "
            f"CASE WHEN y <= %s THEN COALESCE((SELECT bit_or(bits) FROM {table} "
            f"WHERE dimension = %s AND value <= {year}), g.zero) "
            f"ELSE g.zero END) & {selection}), y::text, y::text "
            f"FROM g, generate_series((SELECT min(value)::int FROM {table} "
            f"WHERE dimension IN (%s, %s)), GREATEST(%s, (SELECT max(value)::int "
            f"FROM {table} WHERE dimension = %s))) y"
        )
        params = [self.name, self.name, this_year, self.OPEN, self.name, self.OPEN]
        return sql, [*params, this_year, self.name]

    def stored(self) -> tuple[str, ...]:
        return (self.name, self.OPEN)

    def sort_key(self, choices: dict[str, str]):
        return lambda option: -int(option.value)


class AvailableIn(Dimension):
    """The languages a practice can be read in: the one it was written in and those of
    its approved translations (practices/languages.py). "Available in French" is the
    visitor's filter "in my language"."""

    def __init__(self, name: str, label: str) -> None:
        super().__init__(name, label, path="language", order="choices")

    def condition(self, values: Iterable) -> Q:
        values = [str(value) for value in values]
        translated = PracticeTranslation.objects.published().filter(
            practice=OuterRef("pk"), language__in=values
        )
        return Q(language__in=values) | Q(Exists(translated))

    def pair_queries(self, practices: QuerySet) -> list[QuerySet]:
        translated = (
            PracticeTranslation.objects.published()
            .filter(practice__in=practices.values("pk"))
            .annotate(f_dimension=Value(self.name), f_value=_text(F("language")))
            .values_list("practice_id", "f_dimension", "f_value")
            .order_by()
        )
        return [self.pairs(practices), translated]

    @property
    def derives_options(self) -> bool:
        """Counted from two tables by `counts`, in one query (no GROUP BY can)."""
        return True

    def expand(self, practice_id: int, value: str) -> list[tuple[int, str, str]]:
        return [(practice_id, self.name, value)]

    def counts(self, practices: QuerySet) -> dict[str, int]:
        """{language: practices readable in it}: one conditional count per language."""
        languages = list(self.choice_labels())
        found = practices.aggregate(
            **{f"n_{code}": Count("pk", filter=self.condition([code])) for code in languages}
        )
        return {code: found[f"n_{code}"] for code in languages if found[f"n_{code}"]}


DIMENSIONS: list[Dimension] = [
    Dimension("theme", _("Theme"), "themes", key="slug", title="name", open=True),
    Dimension(
        "objective",
        _("GCM objective"),
        "objectives",
        key="number",
        title="short_title",
        label_format="{key}. {label}",
        order="number",
        open=True,
        sheet_key="number",
    ),
    Dimension(
        "principle",
        _("Guiding principle"),
        "principles",
        key="slug",
        title="title",
        sheet_key="slug",
    ),
    Dimension("target_group", _("Target group"), "target_groups", key="slug", title="name"),
    Dimension("area", _("Area of intervention"), "areas", key="slug", title="name"),
    Dimension("country", _("Country"), "country", open=True),
    # Cities, like stakeholders, run to hundreds: the fifty with most practices are
    # offered (the list shows no more), and counting only them halves a filtered page's
    # facet counts at scale.
    Dimension("city", _("City"), "city", limit=50),
    Dimension("stakeholder_kind", _("Kind of stakeholder"), "stakeholders__kind"),
    # Thousands of organisations at scale: the facet offers the most active ones.
    Dimension("stakeholder", _("Stakeholder"), "stakeholders", key="slug", title="name", limit=50),
    Dimension("programme", _("Programme"), "programme", key="slug", title="name"),
    Dimension(
        "level",
        _("Cooperation level"),
        "cooperation_levels",
        key="code",
        title="code",
        order="choices",
    ),
    ActiveInYear("year", _("Active in year")),
    AvailableIn("available", _("Available in")),
]


def get(name: str) -> Dimension:
    for dimension in DIMENSIONS:
        if dimension.name == name:
            return dimension
    raise ValueError(f"Unknown dimension {name!r}")


def names() -> list[str]:
    return [dimension.name for dimension in DIMENSIONS]


def taxonomies() -> list[Dimension]:
    """The many-to-many categories of practices among the dimensions (themes, objectives,
    principles, target groups, areas, cooperation levels)."""
    return [dimension for dimension in DIMENSIONS if dimension.is_taxonomy]
