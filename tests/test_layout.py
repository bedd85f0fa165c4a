"""The house rules of the code, read from the source with `ast`: imports run one way and
never in a circle, access is decided in one module, files stay small, the catalogue app
stays the catalogue."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["nador_portal", "stakeholders", "practices", "events", "search", "publishing"]
APPS += ["reports", "demo", "perf", "api"]
APPS += ["attachments"]
APPS += ["contact"]
APPS += ["alerts"]
MAX_LINES = 500


def source_files(include_tests: bool = False) -> Iterator[Path]:
    folders = [*APPS, "tests"] if include_tests else APPS
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The project's modules that `path` imports, anywhere in it (inside functions too)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in source_files()}
    known = set(paths)
    return {module: imports_of(path, known) for module, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_project_imports_itself_in_a_circle():
    assert cycles(import_graph()) == []


def importers_of(prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    return {
        module: {target for target in targets if target.startswith(prefixes)}
        for module, targets in import_graph().items()
    }


def test_the_models_do_not_know_the_search_layer_nor_anything_above_them():
    above = ("search", "publishing.views", "publishing.saving", "reports", "demo", "perf")
    for module, targets in importers_of(above).items():
        if module.endswith(".models") or module == "publishing.workflow":
            assert not targets, module


def test_the_catalogue_does_not_know_publishing_views_nor_the_tooling():
    for module, targets in importers_of(("publishing.views", "reports.views")).items():
        if module.startswith(("practices", "events", "stakeholders")):
            assert not targets, module


def test_the_portal_never_imports_the_demo_or_performance_tooling():
    for module, targets in importers_of(("perf",)).items():
        if not module.startswith("perf"):
            assert not targets, module
    for module, targets in importers_of(("demo",)).items():
        if not module.startswith(("demo", "perf")):
            assert not targets, module


def test_the_api_reads_only_the_catalogue_and_search_and_nothing_imports_it():
    allowed = ("api", "practices", "events", "stakeholders", "search", "nador_portal.client")
    for module, targets in import_graph().items():
        if module.startswith("api"):
            assert all(target.startswith(allowed) for target in targets), (module, targets)
        else:
            assert not any(target.startswith("api") for target in targets), module


# Access rules: defined in publishing/access.py and nowhere else.
ACCESS_RULES = {
    "is_coordinator",
    "organisation_ids_of",
    "is_partner",
    "organisations_for",
    "can_file_work",
    "for_user",
    "editable_by",
    "can_edit",
    "can_see_history",
    "can_view",
    "get_practice_for_user",
    "get_event_for_user",
    "coordinator_required",
    "coordinators",
    "can_see_registrations",
    "get_event_registrations_for_user",
    "events_with_registrations_for",
}


def definitions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def test_every_access_rule_is_defined_once_in_publishing_access():
    access = ROOT / "publishing" / "access.py"
    assert definitions(access) >= ACCESS_RULES
    for path in source_files():
        if path != access and not path.match("publishing/templatetags/*.py"):
            assert not ACCESS_RULES & definitions(path), path


def test_no_other_module_decides_who_is_a_coordinator():
    decisive = re.compile(
        r"\bgroups\.filter\(|\bgroups__name\b|\buser\.is_superuser|Q\(is_superuser"
    )
    for path in source_files():
        if path != ROOT / "publishing" / "access.py":
            assert not decisive.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "path", list(source_files(include_tests=True)), ids=lambda path: str(path.relative_to(ROOT))
)
def test_no_source_file_is_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)}: {lines} lines"


def lines_of(folder: str) -> int:
    paths = [path for path in source_files() if path.is_relative_to(ROOT / folder)]
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in paths)


def test_the_catalogue_app_holds_at_most_half_of_the_code():
    total = sum(lines_of(app) for app in APPS)
    assert lines_of("practices") <= total / 2


def test_every_package_of_the_project_is_known_here():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(APPS)


ISSUE_NUMBER = re.compile(r"[(]issue \d|\bissue #\d", re.IGNORECASE)


def test_no_issue_numbers_in_the_code():
    for path in source_files(include_tests=True):
        text = path.read_text(encoding="utf-8")
        text = text.replace("django-import-export issue #", "")  # an upstream project's
        assert not ISSUE_NUMBER.search(text), path


# A transactional test without serialized rollback ends with a flush that re-creates the
# content types under new ids; a later test in the same worker that restores the
# migrations' data then fails on them. The order of two tests decided it.
UNSERIALIZED = re.compile(r"django_db\(transaction=True(?!, serialized_rollback=True)")


def test_every_transactional_test_restores_the_migrations_data():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNSERIALIZED.search(line)
    ]
    assert offenders == []
