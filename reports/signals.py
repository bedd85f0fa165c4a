"""Signals of the reports app, for writers that send no model signal."""

from django.dispatch import Signal

#: Sent by a bulk write of records the open-data files are made of (reports/open_data.py
#: rebuilds them after the commit); a save or a delete through the models needs none.
sources_written = Signal()
