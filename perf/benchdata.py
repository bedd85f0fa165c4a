"""A large, realistic, deterministic data set for `make bench`.

`generate(practices=100_000, seed=1)` writes stakeholders, practices with their taxonomy links
and stakeholder roles, and events with organisers and participant counts, all marked
`is_sample` and with slugs starting with ``bench-`` so that `clear()` finds them again.

Rows are plain dicts keyed by column name, so a branch that adds a column only adds a key.
On PostgreSQL they go in with COPY (100,000 practices in well under two minutes); elsewhere
with executemany. Primary keys are chosen here, so links need no round trip; the sequences
are moved past them at the end. Derived data (search vectors, facet keys) is filled once at
the end, in bulk, by search.index.refresh_all().
"""

from __future__ import annotations

# Table names in the SQL below come from model metadata, never from input (S608); the
# generator wants a seeded, repeatable random source, not a cryptographic one (S311).
# ruff: noqa: S311, S608
import io
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.utils.text import slugify

from demo.loader import load_taxonomies
from events.models import Event, ParticipantCount
from practices.models import (
    Practice,
    PracticeSearch,
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
BATCH = 5_000
# At 100,000 practices: 5,000 stakeholders and 20,000 events; proportionally fewer below.
STAKEHOLDERS_PER_PRACTICE = 1 / 20
EVENTS_PER_PRACTICE = 1 / 5


def _words(text: str) -> list[str]:
    return text.split()


# Country weights: the programme's own countries first, then 36 others, thinner and thinner.
COUNTRIES = [("MA", 30), ("ES", 15), ("FR", 12), ("TN", 10)] + [
    (code, max(1, 8 - i // 5))
    for i, code in enumerate(
        _words(
            "DZ EG LB JO IT PT GR DE BE NL SN ML NE CI GN NG GH CM MR LY TR SY IQ SD "
            "ET ER SO KE MT CY AT CH SE GB IE PS"
        )
    )
]
CITIES = {
    "MA": "Nador Oujda Tangier Rabat Casablanca Fez Marrakesh Agadir Tetouan Berkane",
    "ES": "Seville Madrid Barcelona Valencia Malaga Almeria Granada Murcia Bilbao Melilla",
    "FR": "Marseille Lyon Paris Toulouse Montpellier Nice Lille Bordeaux Grenoble Strasbourg",
    "TN": "Tunis Sfax Sousse Medenine Gabes Bizerte Kairouan Gafsa",
}
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

# Words of the field, most frequent first: their Zipf-like weights make "migrants" appear in
# almost every text and the tail in a few hundred.
WORDS = {
    "en": _words(
        "migrants migration local community inclusion project city dialogue social "
        "intercultural integration residents municipality training journalists youth women "
        "discrimination access services cooperation network awareness rights refugees "
        "asylum education employment health housing culture media narrative capacity "
        "partners civil society stakeholders mapping research strategy policy governance "
        "campaign festival workshop mediation volunteers documentation registration "
        "language literacy entrepreneurship microcredit apprenticeship mentoring "
        "unaccompanied minors trafficking racism xenophobia reception shelter legal aid "
        "diaspora remittances return reintegration seasonal workers agriculture fisheries "
        "coastal border transit smuggling consulate ombudsman cohesion solidarity"
    ),
    "fr": _words(
        "migrants migration communauté locale inclusion projet ville dialogue sociale "
        "interculturel intégration habitants commune formation journalistes jeunesse femmes "
        "discrimination accès services coopération réseau sensibilisation droits réfugiés "
        "asile éducation emploi santé logement culture médias récit capacités partenaires "
        "société civile acteurs cartographie recherche stratégie politique gouvernance "
        "campagne festival atelier médiation bénévoles accueil hébergement aide juridique "
        "diaspora transferts retour réinsertion saisonniers agriculture pêche frontière"
    ),
    "es": _words(
        "migrantes migración comunidad local inclusión proyecto ciudad diálogo social "
        "intercultural integración vecinos ayuntamiento formación periodistas juventud "
        "mujeres discriminación acceso servicios cooperación red sensibilización derechos "
        "refugiados asilo educación empleo salud vivienda cultura medios relato capacidades "
        "socios sociedad civil actores mapeo investigación estrategia política gobernanza "
        "campaña festival taller mediación voluntarios acogida albergue asistencia jurídica "
        "diáspora remesas retorno reintegración temporeros agricultura pesca frontera"
    ),
}
GLUE = {
    "en": _words("the of and to in for with by on from at a"),
    "fr": _words("le la les de des et pour avec par dans sur du un une"),
    "es": _words("el la los las de del y para con por en sobre un una"),
}
# Rare words: one practice in three gets one, so a search for the rarest finds a few dozen.
RARE = _words(
    "oasis caravan lighthouse mosaic harbour olive saffron cedar argan pottery calligraphy "
    "tagine couscous flamenco gnawa zellige henna esparto cork almond fig pomegranate "
    "sardine tuna sponge coral dune sirocco levante tramontane"
)
TITLE_WORDS = {
    "en": "Dialogue Inclusion Voices Bridges Spaces Welcome Together Rights Stories Futures",
    "fr": "Dialogue Inclusion Voix Ponts Espaces Accueil Ensemble Droits Récits Avenirs",
    "es": "Diálogo Inclusión Voces Puentes Espacios Acogida Juntos Derechos Relatos Futuros",
}


def zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


class TextMaker:
    """Texts of realistic length from a pre-built pool of sentences, so that 300,000
    texts of 1,000-2,500 characters cost seconds, not minutes."""

    def __init__(self, rng: random.Random, sentences_per_language: int = 1_500) -> None:
        self.rng = rng
        self.pool = {
            language: [self._sentence(language) for _ in range(sentences_per_language)]
            for language in WORDS
        }

    def _sentence(self, language: str) -> str:
        words, glue = WORDS[language], GLUE[language]
        picked = self.rng.choices(words, weights=zipf(len(words)), k=self.rng.randint(6, 14))
        mixed = [w if i % 2 else f"{self.rng.choice(glue)} {w}" for i, w in enumerate(picked)]
        return " ".join(mixed).capitalize() + "."

    def text(self, language: str, length: int, rare: str = "") -> str:
        pool = self.pool.get(language, self.pool["en"])
        parts: list[str] = []
        size = 0
        while size < length:
            sentence = self.rng.choice(pool)
            parts.append(sentence)
            size += len(sentence) + 1
        if rare:
            parts.insert(self.rng.randrange(len(parts)), f"{rare.capitalize()}.")
        return " ".join(parts)


def weighted(rng: random.Random, population: list, weights: list[float], low: int, high: int):
    """Between low and high distinct items, popular ones more often."""
    k = min(rng.randint(low, high), len(population))
    chosen: set = set()
    while len(chosen) < k:
        chosen.add(rng.choices(population, weights=weights)[0])
    return sorted(chosen)


# -- writing rows ------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def insert_rows(table: str, rows: Iterable[dict]) -> int:
    """Insert dict rows in batches: COPY on PostgreSQL, executemany elsewhere."""
    total = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            total += _flush(table, batch)
            batch = []
    if batch:
        total += _flush(table, batch)
    return total


def _flush(table: str, batch: list[dict]) -> int:
    columns = list(batch[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join(_copy_value(row[c]) for c in columns))
                buffer.write("\n")
            buffer.seek(0)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
        else:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                [[row[c] for c in columns] for row in batch],
            )
    return len(batch)


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _reset_sequences(models: list) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes the next id from MAX(id) by itself.
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


# -- the data set ----------------------------------------------------------------------------


class BenchData:
    def __init__(self, practices: int, seed: int) -> None:
        self.count = practices
        self.stakeholder_count = min(5_000, max(20, int(practices * STAKEHOLDERS_PER_PRACTICE)))
        self.event_count = min(20_000, max(20, int(practices * EVENTS_PER_PRACTICE)))
        self.rng = random.Random(seed)
        self.texts = TextMaker(self.rng)
        self.now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
        self.programmes = list(
            Programme.objects.filter(name__in=PROGRAMMES).values_list("id", flat=True)
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
        for n in range(self.count):
            language = self.rng.choices(languages, weights=language_weights)[0]
            text_language = "en" if language == "ar" else language
            country = self.rng.choices(countries, weights=country_weights)[0]
            status = self.rng.choices(statuses, weights=status_weights)[0]
            start = date(2010, 1, 1) + timedelta(days=self.rng.randrange(16 * 365))
            created = self.now - timedelta(minutes=n)
            city = self.city(country)
            title_words = TITLE_WORDS.get(language, TITLE_WORDS["en"]).split()
            title = f"{self.rng.choice(title_words)} {city} {n}"
            rare = self.rng.choices(RARE, weights=rare_weights)[0] if n % 3 == 0 else ""
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

    def event_links(self, event_ids: range, column: str, targets: list[int], high: int):
        for event_id in event_ids:
            for target in self.rng.sample(targets, self.rng.randint(0, high)):
                yield {"event_id": event_id, column: target}


def _through(model, field: str) -> str:
    return model._meta.get_field(field).remote_field.through._meta.db_table


def load_programmes() -> None:
    load_taxonomies()
    for name in PROGRAMMES:
        Programme.objects.get_or_create(slug=slugify(name), defaults={"name": name})


def generate(practices: int, seed: int = 1, report: Callable[[str], None] = print) -> dict:
    """Write the bench data set; return how many rows went into each table."""
    from django.apps import apps

    load_reference_data(apps)
    load_programmes()
    data = BenchData(practices, seed)
    counts: dict[str, int] = {}
    with transaction.atomic():
        first = _next_id(Stakeholder)
        counts["stakeholders"] = insert_rows(Stakeholder._meta.db_table, data.stakeholders(first))
        stakeholder_ids = list(range(first, first + data.stakeholder_count))
        first = _next_id(Practice)
        ids = range(first, first + practices)
        counts["practices"] = insert_rows(
            Practice._meta.db_table, data.practices(first, stakeholder_ids)
        )
        report(f"{counts['practices']} practices written")
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
        first = _next_id(Event)
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
            _through(Event, "practices"), data.event_links(event_ids, "practice_id", list(ids), 3)
        )
        _reset_sequences([Stakeholder, Practice, StakeholderRole, Event, ParticipantCount])
        _reset_link_sequences()
        index.refresh_all()
    analyse()
    return counts


def _reset_link_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in _link_tables():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def _link_tables() -> list[str]:
    return [_through(Practice, taxonomy.path) for taxonomy in dimensions.taxonomies()] + [
        _through(Event, "organisers"),
        _through(Event, "practices"),
    ]


def analyse() -> None:
    """Fresh planner statistics, so the first benchmark does not plan on empty tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
        f"DELETE FROM {event_table} WHERE slug LIKE {like}",
        f"DELETE FROM {StakeholderRole._meta.db_table} WHERE practice_id IN ({bench_practices})",
    ]
    statements += [
        f"DELETE FROM {table} WHERE practice_id IN ({bench_practices})"
        for table in _link_tables()[: len(dimensions.taxonomies())]
    ]
    statements += [
        f"DELETE FROM {PracticeSearch._meta.db_table} WHERE practice_id IN ({bench_practices})",
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
        index.refresh_all()
    return deleted
