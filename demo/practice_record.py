"""Read a practice record in the layout of the local practice repositories: a location
line, the title, then headed sections (Summary, Impact, Lessons Learnt, ...)."""

from __future__ import annotations

HEADINGS = {
    "Summary": "summary",
    "Impact": "impact",
    "Lessons Learnt": "lessons_learnt",
    "Priority Objectives": "objectives",
    "Country": "country",
    "Local or regional government": "local_government",
    "Mayor": "mayor",
    "Start of Project": "start",
    "End of project": "end",
}


def parse_practice_record(text: str) -> dict[str, str]:
    """Split a record into its fields, keeping each body exactly as written apart from
    the blank lines around it."""
    lines = text.splitlines()
    record: dict[str, str] = {"location": lines[0].strip()}
    title_lines: list[str] = []
    current: str | None = None
    bodies: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line.strip() in HEADINGS:
            current = HEADINGS[line.strip()]
            bodies[current] = []
        elif current is None:
            title_lines.append(line)
        else:
            bodies[current].append(line)
    record["title"] = "\n".join(title_lines).strip()
    for field in HEADINGS.values():
        record[field] = "\n".join(bodies.get(field, [])).strip("\n")
    return record
