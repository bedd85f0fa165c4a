"""Any page of a long list as fast as the first: the page's ids first, then its rows.

OFFSET makes the database walk every row before the page. Walking them in an index that
holds the sort columns and the id (the practices' `practice_*_order` indexes) reads no
table row at all (an index-only scan); only the page's own rows are then read, by id.
Past the middle, the ids are read from the other end of the index, so the last page
walks as little as the first. A filtered or searched list may give the walk a cheaper
condition for the same rows (search/bitmap_index.py `walk_condition`): one bit per row
instead of a join or a text match. The first page is read in one step, as before. Django's
Paginator slices this object as it would slice the queryset.
"""

from __future__ import annotations

from django.db.models import QuerySet


class IdsFirst:
    """A queryset as the paginator sees it, sliced in two steps. `count` (when known, e.g.
    from the facet index) spares the COUNT and allows reading from the end. `walk`: the
    same rows in the same order, by a condition cheaper to test, whose ids are read."""

    def __init__(
        self, queryset: QuerySet, count: int | None = None, walk: QuerySet | None = None
    ) -> None:
        self.queryset = queryset
        self._count = count
        self.walk = walk if walk is not None else queryset

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if start == 0 or stop is None or stop <= start:
            return list(self.queryset[index])  # the first page: nothing walked before it
        ids = self._ids(start, stop)
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _ids(self, start: int, stop: int) -> list:
        ids = self.walk.values_list("pk", flat=True)
        total = self._count
        if total is None or start <= total // 2 or not self.walk.ordered:
            return list(ids[start:stop])
        # The same rows from the other end: the order reversed, the slice mirrored.
        if start >= total:
            return []
        stop = min(stop, total)
        return list(ids.reverse()[total - stop : total - start])[::-1]
