"""After the load: is every practice a partner saved in the database as it was saved?

The driver records what each accepted save sent (title, summary, taxonomies); a save whose
answer never came (a dropped connection) may or may not have happened, so it is recorded
as a second acceptable state of that practice rather than as the expected one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


def category_fields() -> tuple[str, ...]:
    """The categories a practice form ticks: the list's many-to-many dimensions."""
    from search import dimensions

    return tuple(taxonomy.path for taxonomy in dimensions.taxonomies())


@dataclass(frozen=True)
class SavedPractice:
    slug: str
    title: str
    summary: str
    organisation: str  # primary key, as the form sends it
    taxonomies: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_form(cls, slug: str, values: list[tuple[str, str]]) -> SavedPractice:
        def first(name: str) -> str:
            return next((value for key, value in values if key == name), "")

        taxonomies = {
            name: frozenset(value for key, value in values if key == name)
            for name in category_fields()
        }
        return cls(
            slug, first("title"), _as_stored(first("summary")), first("organisation"), taxonomies
        )

    def as_json(self) -> dict:
        data = asdict(self)
        data["taxonomies"] = {name: sorted(ids) for name, ids in self.taxonomies.items()}
        return data


def _as_stored(text: str) -> str:
    """What a Django form field keeps of a text: line endings normalised, ends stripped."""
    return text.replace("\r\n", "\n").strip()


@dataclass
class SaveLog:
    """Per practice slug, the states the database may hold: the last accepted save, plus
    any save attempted after it whose answer was lost."""

    states: dict[str, list[SavedPractice]] = field(default_factory=dict)

    def accepted(self, saved: SavedPractice) -> None:
        self.states[saved.slug] = [saved]

    def unanswered(self, saved: SavedPractice) -> None:
        self.states.setdefault(saved.slug, []).append(saved)


def differences(expected: SavedPractice, stored: SavedPractice) -> list[str]:
    found = [
        name
        for name in ("title", "summary", "organisation")
        if getattr(expected, name) != getattr(stored, name)
    ]
    found += [
        name
        for name in category_fields()
        if expected.taxonomies.get(name, frozenset()) != stored.taxonomies.get(name, frozenset())
    ]
    return found


def compare(log: SaveLog, stored: dict[str, SavedPractice]) -> list[str]:
    """One line per saved practice missing from `stored` or matching none of its states."""
    problems = []
    for slug, states in sorted(log.states.items()):
        if slug not in stored:
            problems.append(f"{slug}: not in the database")
            continue
        if not any(not differences(state, stored[slug]) for state in states):
            fields = ", ".join(differences(states[0], stored[slug]))
            problems.append(f"{slug}: differs from what was saved ({fields})")
    return problems


def stored_practices(slugs: list[str]) -> dict[str, SavedPractice]:
    """The database's version of these practices, in the shape the driver recorded."""
    from practices.models import Practice

    found = {}
    queryset = Practice.objects.filter(slug__in=slugs).prefetch_related(*category_fields())
    for practice in queryset:
        taxonomies = {
            name: frozenset(str(item.pk) for item in getattr(practice, name).all())
            for name in category_fields()
        }
        found[practice.slug] = SavedPractice(
            practice.slug,
            practice.title,
            practice.summary,
            str(practice.organisation_id),
            taxonomies,
        )
    return found


def check(log: SaveLog) -> dict:
    stored = stored_practices(list(log.states))
    problems = compare(log, stored)
    return {
        "saved_practices": len(log.states),
        "found_as_saved": len(log.states) - len(problems),
        "problems": problems,
    }
