"""{% files_of record as files %}: a record's images and documents (attachments/models.py)."""

from django import template

from attachments import models

register = template.Library()
register.simple_tag(models.files_of, name="files_of")
