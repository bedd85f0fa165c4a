"""A large, realistic, deterministic data set for `make bench`.

`generate(practices=100_000, seed=1)` writes stakeholders, practices with their taxonomy links
and stakeholder roles, and events with organisers and participant counts, all marked
`is_sample` and with slugs starting with ``bench-`` so that `clear()` finds them again.

A third of the practices get one or two approved translations into other languages.
The rows go in with COPY on PostgreSQL (100,000 practices in well under two minutes),
executemany elsewhere (perf/rows.py); their words and places are in perf/vocabulary.py.
Derived data (search vectors, facet keys) is filled once at the end, in bulk, by
search.index.refresh_all().
"""

from __future__ import annotations

# Table names in the SQL below come from model metadata, never from input (S608); the
# generator wants a seeded, repeatable random source, not a cryptographic one (S311).
# ruff: noqa: S311, S608
import random
import resource
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify

from demo.loader import load_taxonomies
from events.calendar import store_texts
from events.models import Event, EventCalendarText, ParticipantCount
from perf.rows import insert_rows, next_id, reset_all_sequences
from perf.vocabulary import CITIES, COUNTRIES, RARE, TITLE_WORDS, TextMaker, weighted, zipf
from practices.models import (
    Practice,
    PracticeSearch,
    PracticeTranslation,
    Programme,
    StakeholderRole,
    Status,
)
from practices.reference import load_reference_data
from search import dimensions, index
from stakeholders.models import Stakeholder, StakeholderKind

PREFIX = "bench-"
# Links of a practice to each of its categories, fewest and most; a category added to the
# list's dimensions (search/dimensions.py) gets one to three.
LINKS_PER_PRACTICE = {
    "themes": (1, 5),
    "objectives": (1, 4),
    "principles": (0, 3),
    "target_groups": (1, 3),
    "areas": (1, 3),
    "cooperation_levels": (1, 2),
}
IMPORT_PREFIX = "bench-import-"  # practices written by the benchmark's import scenario
# At 100,000 practices: 5,000 stakeholders and 20,000 events; proportionally fewer below.
STAKEHOLDERS_PER_PRACTICE = 1 / 20
EVENTS_PER_PRACTICE = 1 / 5
PROGRAMMES = ["MC2CM", "EU Trust Fund for Africa", "AMIF", "Erasmus+", "UCLG Learning Exchange"]
KIND_WEIGHTS = {
    StakeholderKind.NGO: 35,
    StakeholderKind.MUNICIPALITY: 20,
    StakeholderKind.MIGRANT_COLLECTIVE: 10,
    StakeholderKind.PUBLIC_INSTITUTION: 10,
    StakeholderKind.MEDIA: 8,
    StakeholderKind.INTERNATIONAL: 7,
    StakeholderKind.ACADEMIA: 6,
    StakeholderKind.OTHER: 4,
}
STATUS_WEIGHTS = {
    Status.PUBLISHED: 90,
    Status.DRAFT: 4,
    Status.SUBMITTED: 3,
    Status.CHANGES_REQUESTED: 1,
    Status.ARCHIVED: 2,
}
LANGUAGE_WEIGHTS = {"en": 50, "fr": 30, "es": 15, "ar": 5}
TRANSLATED_SHARE = 1 / 3


# -- the data set ----------------------------------------------------------------------------


class BenchData:
    def __init__(self, practices: int, seed: int) -> None:
        self.count = practices
        self.stakeholder_count = min(5_000, max(20, int(practices * STAKEHOLDERS_PER_PRACTICE)))
        self.event_count = min(20_000, max(20, int(practices * EVENTS_PER_PRACTICE)))
        self.rng = random.Random(seed)
        self.texts = TextMaker(self.rng)
        # Translations draw from a stream of their own, so that the rest of the data set
        # is the one measured before practices had translations.
        self.translation_rng = random.Random(seed + 1)
        self.translation_texts = TextMaker(self.translation_rng, languages=list(TITLE_WORDS))
        # What translations() needs of each practice, one small number per practice
        # rather than a tuple (200 MB at 1,000,000 practices): its language, city and rare
        # word as positions in the lists below.
        self.first_practice = 0
        self.original_languages = array("B")
        self.original_cities = array("I")
        self.original_rares = array("i")
        self.cities: dict[str, int] = {}
        self.now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
        self.programmes = list(
            Programme.objects.filter(slug__in=[slugify(name) for name in PROGRAMMES]).values_list(
                "id", flat=True
            )
        )

    def stakeholders(self, first_id: int) -> Iterator[dict]:
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        countries, country_weights = zip(*COUNTRIES, strict=True)
        for n in range(self.stakeholder_count):
            kind = self.rng.choices(kinds, weights=weights)[0]
            country = self.rng.choices(countries, weights=country_weights)[0]
            name = f"{kind.label} {self.city(country)} {n:04d}"
            yield {
                "id": first_id + n,
                "name": f"Bench {name}",
                "slug": f"{PREFIX}{slugify(name)}",
                "kind": kind.value,
                "city": self.city(country),
                "country": country,
                "website": f"https://example.org/{n}",
                "contact_email": "",
                "description": "",
                "created_at": self.now,
                "updated_at": self.now,
            }

    def city(self, country: str) -> str:
        names = CITIES.get(country)
        if names is None:
            return f"City {country} {self.rng.randint(1, 6)}"
        cities = names.split(" ")
        return self.rng.choices(cities, weights=zipf(len(cities)))[0]

    def practices(self, first_id: int, stakeholder_ids: list[int]) -> Iterator[dict]:
        statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        languages, language_weights = list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values())
        countries, country_weights = zip(*COUNTRIES, strict=True)
        rare_weights = zipf(len(RARE), 0.5)
        self.first_practice = first_id
        for n in range(self.count):
            language = self.rng.choices(languages, weights=language_weights)[0]
            text_language = "en" if language == "ar" else language
            country = self.rng.choices(countries, weights=country_weights)[0]
            status = self.rng.choices(statuses, weights=status_weights)[0]
            start = date(2010, 1, 1) + timedelta(days=self.rng.randrange(16 * 365))
            created = self.now - timedelta(minutes=n)
            city = self.city(country)
            title_words = TITLE_WORDS[text_language].split()
            title = f"{self.rng.choice(title_words)} {city} {n}"
            rare = self.rng.choices(RARE, weights=rare_weights)[0] if n % 3 == 0 else ""
            self.original_languages.append(languages.index(language))
            self.original_cities.append(self.cities.setdefault(city, len(self.cities)))
            self.original_rares.append(RARE.index(rare) if rare else -1)
            yield {
                "id": first_id + n,
                "title": title,
                "slug": f"{PREFIX}{slugify(title)}",
                "summary": self.texts.text(text_language, self.rng.randint(1000, 2500), rare),
                "impact": self.texts.text(text_language, self.rng.randint(1000, 2500)),
                "lessons_learnt": self.texts.text(text_language, self.rng.randint(800, 2000)),
                "city": city,
                "local_government": f"Municipality of {city}",
                "country": country,
                "mayor": "",
                "start_date": start,
                "end_date": start + timedelta(days=self.rng.randint(90, 1500)),
                "programme_id": (
                    self.rng.choice(self.programmes) if self.rng.random() < 0.4 else None
                ),
                "language": language,
                "status": status,
                "organisation_id": self.rng.choice(stakeholder_ids),
                "review_comment": "",
                "is_sample": True,
                "created_by_id": None,
                "updated_by_id": None,
                "created_at": created,
                "updated_at": created,
                "published_at": created if status == Status.PUBLISHED else None,
            }

    def translations(self, first_id: int) -> Iterator[dict]:
        """A third of the practices, in the order written, get one or two approved
        translations into other languages, with the rare word of their original."""
        rng, texts, next_id = self.translation_rng, self.translation_texts, first_id
        languages, cities = list(LANGUAGE_WEIGHTS), list(self.cities)
        for n, language_index in enumerate(self.original_languages):
            practice_id, language = self.first_practice + n, languages[language_index]
            city = cities[self.original_cities[n]]
            rare = RARE[self.original_rares[n]] if self.original_rares[n] >= 0 else ""
            if rng.random() >= TRANSLATED_SHARE:
                continue
            others = [code for code in TITLE_WORDS if code != language]
            for target in sorted(rng.sample(others, rng.randint(1, 2))):
                yield {
                    "id": next_id,
                    "practice_id": practice_id,
                    "language": target,
                    "title": f"{rng.choice(TITLE_WORDS[target].split())} {city} {n}",
                    "summary": texts.text(target, rng.randint(1000, 2500), rare),
                    "impact": texts.text(target, rng.randint(1000, 2500)),
                    "lessons_learnt": texts.text(target, rng.randint(800, 2000)),
                    "indicator_labels": "{}",
                    "status": Status.PUBLISHED,
                    "review_comment": "",
                    "updated_by_id": None,
                    "updated_at": self.now,
                }
                next_id += 1

    def links(self, practice_ids: range, column: str, targets: list[int], low: int, high: int):
        weights = zipf(len(targets), 0.8)
        for practice_id in practice_ids:
            for target in weighted(self.rng, targets, weights, low, high):
                yield {"practice_id": practice_id, column: target}

    def roles(self, practice_ids: range, stakeholder_ids: list[int]) -> Iterator[dict]:
        roles = [choice.value for choice in StakeholderRole.Role]
        weights = zipf(len(stakeholder_ids), 0.6)
        for practice_id in practice_ids:
            for stakeholder in weighted(self.rng, stakeholder_ids, weights, 1, 4):
                yield {
                    "practice_id": practice_id,
                    "stakeholder_id": stakeholder,
                    "role": self.rng.choice(roles),
                }

    def events(self, first_id: int, stakeholder_ids: list[int]) -> Iterator[dict]:
        kinds = [choice.value for choice in Event.Kind]
        countries, country_weights = zip(*COUNTRIES, strict=True)
        for n in range(self.event_count):
            # Mostly past, one in ten in the coming year (what the calendar feed shows).
            offset = self.rng.randint(-5 * 365, 365) if n % 10 == 0 else -self.rng.randint(1, 3650)
            starts = self.now + timedelta(days=offset, hours=self.rng.randint(0, 8))
            country = self.rng.choices(countries, weights=country_weights)[0]
            status = Status.PUBLISHED if self.rng.random() < 0.9 else Status.DRAFT
            yield {
                "id": first_id + n,
                "title": f"Bench event {n}",
                "slug": f"{PREFIX}event-{n}",
                "kind": self.rng.choice(kinds),
                "series_id": None,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=self.rng.choice([2, 3, 8, 32])),
                "venue": "",
                "city": self.city(country),
                "country": country,
                "description": self.texts.text("en", self.rng.randint(200, 800)),
                "expected_participants": self.rng.randint(10, 400),
                "status": status,
                "organisation_id": self.rng.choice(stakeholder_ids),
                "review_comment": "",
                "is_sample": True,
                "created_by_id": None,
                "updated_by_id": None,
                "created_at": self.now,
                "updated_at": self.now,
                "published_at": starts if status == Status.PUBLISHED else None,
            }

    def participants(self, event_ids: range) -> Iterator[dict]:
        categories = [choice.value for choice in ParticipantCount.Category]
        for event_id in event_ids:
            for category in self.rng.sample(categories, self.rng.randint(1, 4)):
                yield {
                    "event_id": event_id,
                    "category": category,
                    "count": self.rng.randint(1, 200),
                }

    def event_links(self, event_ids: range, column: str, targets: Sequence[int], high: int):
        for event_id in event_ids:
            for target in self.rng.sample(targets, self.rng.randint(0, high)):
                yield {"event_id": event_id, column: target}


def _through(model, field: str) -> str:
    return model._meta.get_field(field).remote_field.through._meta.db_table


def load_programmes() -> None:
    load_taxonomies()
    for name in PROGRAMMES:
        # English only: the pages of other languages fall back to it.
        Programme.objects.get_or_create(slug=slugify(name), defaults={"name_en": name})


def generate(practices: int, seed: int = 1, report: Callable[[str], None] = print) -> dict:
    """Write the bench data set; return how many rows went into each table."""
    from django.apps import apps

    load_reference_data(apps)
    load_programmes()
    data = BenchData(practices, seed)
    counts: dict[str, int] = {}
    started = time.monotonic()

    def step(done: str) -> None:
        # ru_maxrss: kilobytes on Linux. The figure to watch at 1,000,000 practices.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        report(f"{done} ({time.monotonic() - started:.0f} s, peak RSS {peak} MB)")

    with transaction.atomic():
        first = next_id(Stakeholder._meta.db_table)
        counts["stakeholders"] = insert_rows(Stakeholder._meta.db_table, data.stakeholders(first))
        stakeholder_ids = list(range(first, first + data.stakeholder_count))
        first = next_id(Practice._meta.db_table)
        ids = range(first, first + practices)
        counts["practices"] = insert_rows(
            Practice._meta.db_table, data.practices(first, stakeholder_ids)
        )
        step(f"{counts['practices']} practices written")
        counts["translations"] = insert_rows(
            PracticeTranslation._meta.db_table,
            data.translations(next_id(PracticeTranslation._meta.db_table)),
        )
        step(f"{counts['translations']} translations written")
        for taxonomy in dimensions.taxonomies():
            field = taxonomy.relation
            targets = list(taxonomy.model.objects.values_list("id", flat=True))
            low, high = LINKS_PER_PRACTICE.get(taxonomy.path, (1, 3))
            counts[taxonomy.path] = insert_rows(
                _through(Practice, taxonomy.path),
                data.links(ids, field.m2m_reverse_name(), targets, low, high),
            )
        counts["roles"] = insert_rows(
            StakeholderRole._meta.db_table, data.roles(ids, stakeholder_ids)
        )
        step("links and roles written")
        first = next_id(Event._meta.db_table)
        event_ids = range(first, first + data.event_count)
        counts["events"] = insert_rows(Event._meta.db_table, data.events(first, stakeholder_ids))
        counts["participant_counts"] = insert_rows(
            ParticipantCount._meta.db_table, data.participants(event_ids)
        )
        counts["organisers"] = insert_rows(
            _through(Event, "organisers"),
            data.event_links(event_ids, "stakeholder_id", stakeholder_ids, 3),
        )
        counts["event_practices"] = insert_rows(
            _through(Event, "practices"), data.event_links(event_ids, "practice_id", ids, 3)
        )
        counts["calendar_texts"] = store_calendar_texts(event_ids)
        models = [
            Stakeholder,
            Practice,
            PracticeTranslation,
            StakeholderRole,
            Event,
            ParticipantCount,
            EventCalendarText,
        ]
        tables = [model._meta.db_table for model in models] + _link_tables()
        reset_all_sequences()
        # After --clear, autovacuum may have analysed the emptied tables: the derived data,
        # planned for empty tables, would then take many minutes to compute (nested loops
        # over 100,000 practices). ANALYZE counts this transaction's own new rows.
        analyse(tables)
        step("events written, tables analysed")
        index.refresh_all()
        step("search vectors and facet index built")
    analyse(vacuum=True)
    step("vacuumed and analysed")
    return counts


def store_calendar_texts(event_ids: range) -> int:
    """The stored VEVENTs of the bench events in the calendar feeds' window, in every
    language, as the first feed would store them: a timed feed reads, as in production
    once each event has been served (events/calendar.py feed())."""
    shown = Event.objects.published().for_calendar().filter(pk__in=event_ids)
    events = list(shown.order_by())
    return sum(len(store_texts(events, code)) for code, _name in settings.LANGUAGES)


def _link_tables() -> list[str]:
    return [_through(Practice, taxonomy.path) for taxonomy in dimensions.taxonomies()] + [
        _through(Event, "organisers"),
        _through(Event, "practices"),
    ]


def analyse(tables: list[str] | None = None, vacuum: bool = False) -> None:
    """Fresh planner statistics (of these tables, or of all), so that nothing is planned
    for empty tables. `vacuum` also sets the visibility map when outside a transaction
    (VACUUM cannot run in one): right after a bulk load, index-only scans (the list's
    pages) visit the heap until autovacuum has passed, 406 ms against 76 ms for the
    middle page at 1,000,000 practices."""
    if connection.vendor == "postgresql":
        command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {', '.join(tables or [])}")


def bench_practices():
    return Practice.objects.filter(slug__startswith=PREFIX).exclude(slug__startswith=IMPORT_PREFIX)


def clear(prefix: str = PREFIX) -> int:
    """Delete every bench row (slug starting with `prefix`), children first, in plain SQL:
    the ORM's cascade collector would load 100,000 practices into memory."""
    like = f"'{prefix}%%'"
    assert prefix.replace("-", "").isalnum()  # it goes into the SQL text
    practice_table = Practice._meta.db_table
    event_table = Event._meta.db_table
    bench_practices = f"SELECT id FROM {practice_table} WHERE slug LIKE {like}"
    bench_events = f"SELECT id FROM {event_table} WHERE slug LIKE {like}"
    bench_stakeholders = f"SELECT id FROM {Stakeholder._meta.db_table} WHERE slug LIKE {like}"
    statements = [
        f"DELETE FROM {_through(Event, 'practices')} WHERE event_id IN ({bench_events}) "
        f"OR practice_id IN ({bench_practices})",
        f"DELETE FROM {_through(Event, 'organisers')} WHERE event_id IN ({bench_events})",
        f"DELETE FROM {ParticipantCount._meta.db_table} WHERE event_id IN ({bench_events})",
        f"DELETE FROM {EventCalendarText._meta.db_table} WHERE event_id IN ({bench_events})",
        f"DELETE FROM {event_table} WHERE slug LIKE {like}",
        f"DELETE FROM {StakeholderRole._meta.db_table} WHERE practice_id IN ({bench_practices})",
    ]
    statements += [
        f"DELETE FROM {table} WHERE practice_id IN ({bench_practices})"
        for table in _link_tables()[: len(dimensions.taxonomies())]
    ]
    statements += [
        f"DELETE FROM {PracticeSearch._meta.db_table} WHERE practice_id IN ({bench_practices})",
        # The bench's own translations, and those an import of bench practices brings.
        f"DELETE FROM {PracticeTranslation._meta.db_table} "
        f"WHERE practice_id IN ({bench_practices})",
        f"DELETE FROM {Practice._meta.get_field('indicators').related_model._meta.db_table} "
        f"WHERE practice_id IN ({bench_practices})",
        f"DELETE FROM {practice_table} WHERE slug LIKE {like}",
        f"DELETE FROM {Stakeholder._meta.db_table} WHERE id IN ({bench_stakeholders})",
    ]
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            if statement.startswith(f"DELETE FROM {practice_table} "):
                deleted = cursor.rowcount
        reset_all_sequences()  # the next rows take the ids these had
        index.refresh_all()
    return deleted
