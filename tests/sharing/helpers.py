"""Reading a page's link preview tags and structured data back, as a crawler would."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class HeadReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_json_ld:
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def read(response) -> HeadReader:
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def og(reader: HeadReader, key: str) -> str:
    values = reader.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


def structured(reader: HeadReader) -> dict:
    assert len(reader.json_ld) == 1, reader.json_ld
    return json.loads(reader.json_ld[0])
