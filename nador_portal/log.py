"""Structured log lines: `time=... level=... logger=... msg="..." key=value ...`.

Values with spaces, quotes or line breaks are JSON-quoted, so every record stays on one line
(a path or a traceback cannot forge another record).
"""

import json
import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Attributes Django adds that are objects, not values worth a field.
_SKIPPED = {"request", "server_time", "status_code"}


def _value(value) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\\') and text.isprintable():
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if hasattr(request, "path"):
            fields["method"] = request.method
            fields["path"] = request.path
        if getattr(record, "status_code", None) is not None:
            fields["status"] = record.status_code
        for key, value in vars(record).items():
            is_plain = isinstance(value, str | int | float | bool) or value is None
            if key not in _STANDARD and key not in _SKIPPED and is_plain:
                fields[key] = value
        if record.exc_info:
            fields["exc"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            # A refusal (403, 404, 400) is the portal working as meant: its name is enough. Only
            # a server error carries the traceback someone must read.
            status = getattr(record, "status_code", None)
            if status is None or status >= 500:
                fields["traceback"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())
