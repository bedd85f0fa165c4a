import io

import pytest
from django.core.management import CommandError, call_command

from practices.models import Practice, Theme
from reports.management.progress import ProgressBar
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import content_of, csv_bytes, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def practices(asticude, theme):
    for title in ("Alpha", "Beta"):
        make_practice(asticude, title).themes.add(theme)
    make_practice(asticude, "Gamma")


def test_export_data_writes_the_filtered_selection_and_prints_one_line(practices, tmp_path):
    path = tmp_path / "out.xlsx"
    out, err = run(
        "export_data",
        "practices",
        "--format",
        "xlsx",
        "--query",
        "theme=intercultural-dialogue",
        "-o",
        str(path),
    )
    assert out == f"Exported 2 practices to {path}.\n"
    assert err == ""  # no progress bar when not on a terminal
    assert {row["slug"] for row in xlsx_rows(path.read_bytes())} == {"alpha", "beta"}


def test_export_data_names_the_file_by_type_date_and_filter(practices, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, _ = run("export_data", "stakeholders", "--format", "json", "--query", "kind=ngo")
    (written,) = tmp_path.glob("stakeholders_*_kind-ngo.json")
    assert written.name in out


def test_export_data_writes_the_coordinators_download_byte_for_byte(
    practices, tmp_path, coordinator
):
    path = tmp_path / "practices.csv"
    run("export_data", "practices", "--query", "theme=intercultural-dialogue", "-o", str(path))
    response = logged_in(coordinator).get(
        "/en/reports/export/practices.csv", {"theme": "intercultural-dialogue"}
    )
    assert response.status_code == 200
    assert path.read_bytes() == content_of(response)
    assert {row["slug"] for row in csv_rows(path.read_bytes())} == {"alpha", "beta"}


def test_export_then_import_data_round_trip(practices, tmp_path):
    path = tmp_path / "practices.csv"
    run("export_data", "practices", "-o", str(path))
    Practice.objects.all().delete()
    out, _ = run("import_data", "practices", str(path))
    assert out == "Practices: 3 new, 0 updated, 0 unchanged, 0 errors (committed).\n"
    assert set(Practice.objects.values_list("slug", flat=True)) == {"alpha", "beta", "gamma"}
    out, _ = run("import_data", "practices", str(path))
    assert out == "Practices: 0 new, 0 updated, 3 unchanged, 0 errors (committed).\n"


def test_import_data_dry_run_writes_nothing(practices, tmp_path):
    path = tmp_path / "practices.csv"
    run("export_data", "practices", "-o", str(path))
    Practice.objects.all().delete()
    out, _ = run("import_data", "practices", str(path), "--dry-run")
    assert out == "Practices: 3 new, 0 updated, 0 unchanged, 0 errors (dry run, nothing written).\n"
    assert not Practice.objects.exists()


def test_import_data_refuses_a_bad_file_with_every_problem_and_writes_nothing(asticude, tmp_path):
    Theme.objects.create(name="Culture", slug="culture")
    path = tmp_path / "bad.csv"
    headers = ["slug", "title", "status", "organisation", "summary", "country", "themes"]
    path.write_bytes(
        csv_bytes(
            [
                headers,
                ["ok", "OK", "published", "ASTICUDE", "Fine.", "MA", "culture"],
                ["bad", "Bad", "published", "ASTICUDE", "Fine.", "MA", "Astrology"],
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error \\(nothing written\\)"):
        call_command("import_data", "practices", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 3, column “themes”: Unknown theme: “Astrology”" in err.getvalue()
    assert not Practice.objects.exists()


def test_import_data_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_data", "practices", str(tmp_path / "nope.csv"))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only():
    terminal, pipe = FakeTerminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        bar.start(20)
        for _ in range(20):
            bar()
        bar.finish()
    assert terminal.getvalue().endswith("\r[" + "#" * 30 + "] 20/20\n")
    assert pipe.getvalue() == ""
