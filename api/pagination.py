"""Cursor pagination: pages stay consistent while practices are published (no offset to
shift), and a page costs the same deep in the list as at its start."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """By id, newest records first: unique and never changing, so a cursor stays valid."""

    ordering = "-id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class BySlug(NewestFirst):
    ordering = "slug"
