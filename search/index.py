"""The data derived from practices, refreshed in one place: their full-text vectors
(search/fulltext.py) and their bits in the facet index (search/bitmap_index.py).

Nothing in the models refreshes it: the one save path of the workspace and the review
(publishing/saving.py), the imports (reports/), the admin and the demo and bench loaders
call `refresh(ids)` or `refresh_all()` after they write, in their transaction. A change
to a translation (saved, approved, sent back, deleted) changes what its practice is found
by: `refresh_after_change(translation)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from nador_portal import page_cache
from practices.models import Practice, PracticeTranslation
from search import bitmap_index, fulltext
from stakeholders.models import Stakeholder


def refresh(practice_ids: Iterable[int]) -> None:
    """Bring the vectors and the facet bits of these practices up to date: a few queries
    whatever their number."""
    ids = sorted(set(practice_ids))
    if not ids:
        return
    fulltext.write_vectors(Practice.objects.filter(pk__in=ids))
    bitmap_index.refresh_practices(ids)


def refresh_all() -> int:
    """Rebuild the derived data of every practice (after a bulk load); return the number
    of facet values in the index."""
    fulltext.write_all_vectors()
    values = bitmap_index.refresh_all()
    if page_cache.versioned():
        # Rows written in bulk send no signal: the cached pages and counts go now.
        page_cache.bump()
        transaction.on_commit(page_cache.bump)
    return values


def practices_touched_by(record) -> list[int]:
    """The practices whose derived data depends on this record: a practice itself; the
    practice of a translation, whose approved text is searchable in it; the practices of
    an organisation, whose name is searchable in them and whose kind is one of their
    facets. Events change no practice's derived data."""
    if isinstance(record, Practice):
        return [record.pk]
    if isinstance(record, PracticeTranslation):
        return [record.practice_id]
    if isinstance(record, Stakeholder):
        return practices_of([record.pk])
    return []


def practices_of(stakeholder_ids: Iterable[int]) -> list[int]:
    """The practices in which these organisations play a role."""
    practices = Practice.objects.filter(stakeholders__in=list(stakeholder_ids))
    return list(practices.values_list("pk", flat=True).distinct())


def refresh_after_change(record) -> None:
    refresh(practices_touched_by(record))
