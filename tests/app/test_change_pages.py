"""The map's change view and the Priority Places years in AppTest: titles, notices instead of tracebacks, the CSV
of a change, and the gap over the years with its table."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.png_export import slug
from observatory_data.serving.catalogue import CATALOGUE
from tests.support.apptest import exceptions, notices, open_expanders, run_page

MAP = "app_pages/map.py"
PLACES = "app_pages/priority_places.py"
LOANS = CATALOGUE["loans"].label  # the catalogue's words, which the build puts in the metrics table
LOANS_IN_TEXT = LOANS[:1].lower() + LOANS[1:]
CHANGE_TITLE = f"Change in {LOANS_IN_TEXT} per 1,000 residents, England, 2023/24 to 2025/26"


def _warnings(app: AppTest) -> list[str]:
    return [str(warning.value) for warning in app.warning]


def test_change_view_opens_on_the_earliest_and_latest_years() -> None:
    app = run_page(MAP, {"show": "change"})
    assert not app.exception, exceptions(app)
    assert (app.session_state["map:from"], app.session_state["map:to"]) == (2023, 2025)
    assert [box.label for box in app.sidebar.selectbox] == ["Metric", "From", "To"]
    caption = app.caption[0].value
    assert f"own percentage change of {LOANS_IN_TEXT} per 1,000 residents from 2023/24 to 2025/26" in caption
    # England's headline is the matched total change with its n; the median is named as the services' own changes.
    assert "the change in the total of the " in caption and " services countable in both years; " in caption
    assert "median of the services' own changes: " in caption and " services)" in caption
    assert "City of London left out of the classes (grey)" in caption


def test_change_view_in_hexagons_has_the_title_and_a_csv_with_both_years() -> None:
    app = open_expanders(run_page(MAP, {"show": "change", "view": "hex", "to": "2024"}), "Numbers behind")
    assert not app.exception, exceptions(app)
    chart = app.get("plotly_chart")[0]
    # The heading is escaped and wrapped into lines in the spec; the PNG's file name is the whole title.
    assert f'"filename": "{slug(CHANGE_TITLE.replace("2025/26", "2024/25"))}"' in chart.proto.config
    columns = {column for table in app.dataframe for column in table.value.columns}
    assert {"Rate per 1,000 residents, 2024/25", "Change in the rate (%)", "Status, 2023/24"} <= columns, columns
    assert {button.label for button in app.get("download_button")} == {"Download CSV", "Download map (PNG)"}


def test_a_bad_year_in_a_change_link_gets_a_notice_not_a_traceback() -> None:
    app = run_page(MAP, {"show": "change", "from": "1999"})
    assert not app.exception, exceptions(app)
    assert any("first year was not recognised" in text for text in notices(app)), _warnings(app)
    assert app.session_state["map:from"] == 2023
    assert "1999" not in " ".join(_warnings(app))


def test_the_same_year_twice_is_refused_with_a_notice() -> None:
    app = run_page(MAP, {"show": "change", "from": "2025"})
    assert not app.exception, exceptions(app)
    assert any("choose two different years" in text for text in _warnings(app)), _warnings(app)
    single = run_page(MAP, {"show": "change", "metric": "physical_book_loans"})
    assert any("ACE figures for 2023/24 only" in text for text in _warnings(single)), _warnings(single)


@pytest.mark.parametrize("page", [MAP, PLACES])
def test_a_metric_without_ace_years_gets_a_notice(page: str) -> None:
    app = run_page(page, {"metric": "physical_issues"})
    assert not app.exception, exceptions(app)
    assert any("has no ACE figures" in text for text in _warnings(app)), _warnings(app)


def test_places_takes_a_year_and_shows_the_gap_over_the_years() -> None:
    app = run_page(PLACES, {"year": "2024"})
    assert not app.exception, exceptions(app)
    assert app.session_state["places:year"] == 2024
    headers = [header.value for header in app.header]
    assert f"{LOANS} per 1,000 residents, 2024/25" in headers
    assert "How the gap changed over the years, on the same services" in headers
    levels = [block.value for block in app.markdown if ", gap in 2024/25: " in block.value]
    assert len(levels) == 2 and all("among the services countable in 2024/25 (" in text for text in levels)
    sentences = [block.value for block in app.markdown if "the gap" in block.value and "every year" in block.value]
    assert len(sentences) == 2 and sentences[0].startswith("- Any Priority Place, change of the gap on the same")
    specs = [chart.proto.spec for chart in app.get("plotly_chart")]
    assert any("Gap between library services with a Priority Place and the rest of England" in spec for spec in specs)


def test_gap_table_under_the_chart_says_how_many_services_and_the_change() -> None:
    app = open_expanders(run_page(PLACES, {}), "Numbers behind")
    assert not app.exception, exceptions(app)
    gap = next(
        table.value for table in app.dataframe if "Gap (%)" in table.value.columns and "Year" in table.value.columns
    )
    assert {"Group: services compared", "Neither (known): services compared"} <= set(gap.columns)
    assert "Change since 2023/24: gap (% points)" in gap.columns
    assert set(gap["Year"]) == {"2023/24", "2024/25", "2025/26"}
    assert len(gap) == 7 * 3 * 2  # seven metrics with three years, two place groups
