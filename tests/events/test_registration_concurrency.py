"""Two registrations for the last place at once: the event's row is locked while places are
counted, so the second one waits and goes on the waiting list. The race needs PostgreSQL's row
locks (SQLite has one writer at a time): there, a second registration is sent while the first
holds the lock, and the test waits until PostgreSQL shows it waiting for that lock."""

import threading

import pytest
from django.db import connection, connections, transaction

from events.models import Event, Registration
from tests.conftest import ON_POSTGRES

FIELDS = {"name": "Second", "consent": True, "language": "en"}


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Statistics views are read once per transaction unless the snapshot is dropped.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def _register_in_a_thread(event, results: list) -> threading.Thread:
    def run():
        try:
            registration = Registration.objects.register(event, email="b@example.org", **FIELDS)
            results.append(registration.status)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


# Committed rows, as in tests/nador_portal/test_backup_safety.py: the database is restored
# from its serialized state, so that a test after this one finds the rows migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("timing", ["one after the other"] + (["at once"] if ON_POSTGRES else []))
def test_two_registrations_for_the_last_place_cannot_both_take_it(asticude, timing):
    from tests.test_public_statuses import make_event

    event = make_event(asticude, "Last place")
    Event.objects.filter(pk=event.pk).update(registration_open=True, registration_capacity=1)
    results: list[str] = []
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        first = Registration.objects.create(
            event=event, email="a@example.org", status="confirmed", **FIELDS
        )
        if timing == "at once":
            thread = _register_in_a_thread(event, results)
            for _attempt in range(10_000):  # until PostgreSQL shows the second one waiting
                if _waiting_for_a_lock():
                    break
            assert _waiting_for_a_lock()
    if timing != "at once":
        thread = _register_in_a_thread(event, results)
    thread.join()
    assert first.status == "confirmed" and results == ["waiting"]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1
