"""Stored files go with their row, whether the row is deleted alone or with its practice or
event (a cascade calls no model's delete()): removed once the deletion is committed, so that
a rolled-back deletion keeps its files."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from attachments.models import Attachment


def delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


@receiver(post_delete, sender=Attachment)
def remove_stored_files(sender, instance: Attachment, **kwargs) -> None:
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored(names))
