"""Peers by name (issue 20): whom the strip chart names and where, the group named in full in the figure (so in its
PNG too), and the services a median over years rests on."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from components.benchmark import group_roll_call, matched_members_note
from components.charts.strip import LABEL_ROWS, strip_chart, strip_labels
from components.figure_layout import Labels
from observatory_data.serving.benchmarks import steady_members
from observatory_data.serving.formats import NO_FIGURE, names_words

LABELS = Labels(title="Loans", subtitle="Per 1,000 residents", source="Source: test", axis="loans per 1,000")
# Me and a group of six: two with comparable rates either side of the middle, one caveated, one with no value;
# an outsider above them all, who is never named as the group's highest.
RATES = pl.DataFrame(
    {
        "service_code": ["ME", "G1", "G2", "G3", "G4", "G5", "CAV", "NIL", "OUT"],
        "service_name": ["Mine", "Low", "Lowish", "Middle", "Highish", "High & <b>", "Caveated", "Silent", "Outside"],
        "rate": [1500.0, 500.0, 1000.0, 2000.0, 2600.0, 4000.0, 9000.0, None, 9500.0],
        "caveat": [None, None, None, None, None, None, "small population", None, None],
        "status": ["reported"] * 7 + ["no_return", "reported"],
        "returned": [True] * 7 + [False, True],
    }
)
GROUP = ["G1", "G2", "G3", "G4", "G5", "CAV", "NIL"]
PEER = "peer-"  # the name of a peer's label among the figure's annotations


def _strip(
    rates: pl.DataFrame = RATES, group: list[str] = GROUP, highlight: str | None = "ME", width: int | None = None
) -> go.Figure:
    return strip_chart(
        rates,
        LABELS,
        highlight=highlight,
        group=group,
        group_name="Comparison group",
        polarity="higher_is_better",
        reference_lines={"Group median": 2000.0},
        width=width,
    )


def _peer_labels(figure: go.Figure) -> dict[str, str]:
    """role -> the text of its name on the plot."""
    return {note.name.removeprefix(PEER): note.text for note in _peer_notes(figure)}


def _peer_notes(figure: go.Figure) -> list:
    return [note for note in figure.layout.annotations if (note.name or "").startswith(PEER)]


def test_the_service_then_the_groups_highest_lowest_and_middle_are_named() -> None:
    assert strip_labels(RATES, "ME", GROUP) == {"service": "ME", "highest": "G5", "lowest": "G1", "middle": "G3"}


def test_caveated_missing_and_outside_services_are_never_the_groups_highest_or_lowest() -> None:
    named = strip_labels(RATES, "ME", GROUP)
    assert not {"CAV", "NIL", "OUT"} & set(named.values())


def test_the_middle_is_the_member_nearest_the_group_median() -> None:
    # Without G3, the median of 500, 1,000, 2,600 and 4,000 is 1,800: Highish (2,600) is 800 off, Lowish 800 too;
    # the tie goes to the lower rate, so the choice is the same every time.
    group = ["G1", "G2", "G4", "G5"]
    assert strip_labels(RATES, "ME", group)["middle"] == "G2"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (["G1", "G5"], {"service": "ME", "highest": "G5", "lowest": "G1"}),  # two: no middle of its own
        (["G4"], {"service": "ME", "highest": "G4"}),  # one: only a highest
        (["NIL", "CAV"], {"service": "ME"}),  # none comparable
    ],
)
def test_a_small_group_names_each_member_once(group: list[str], expected: dict[str, str]) -> None:
    assert strip_labels(RATES, "ME", group) == expected


def test_a_service_without_a_rate_is_not_named_but_its_peers_are() -> None:
    named = strip_labels(RATES, "NIL", ["G1", "G3", "G5"])
    assert named == {"highest": "G5", "lowest": "G1", "middle": "G3"}


def test_the_chart_names_the_peers_with_their_role_escaped_and_lines_to_their_dots() -> None:
    figure = _strip()
    labels = _peer_labels(figure)
    assert labels == {
        "highest": "High &amp; &lt;b&gt; (highest)",
        "lowest": "Low (lowest)",
        "middle": "Middle (middle)",
    }
    for note in _peer_notes(figure):
        if note.name:
            assert note.showarrow and note.axref == "x" and note.ayref == "y" and note.ay in LABEL_ROWS
            assert note.x == note.ax  # the line goes straight down (or up) to the dot


def test_names_that_would_collide_go_to_another_row_or_are_left_to_the_footer() -> None:
    crowded = pl.DataFrame(
        {
            "service_code": ["ME", "A", "B", "C", "D", "E", "F"],
            "service_name": ["Mine", "Alpha Borough", "Beta Borough", "Gamma Borough", "Delta", "Epsilon", "Zeta"],
            "rate": [4000.0, 1000.0, 1001.0, 1002.0, 1003.0, 1004.0, 5000.0],
            "caveat": pl.Series([None] * 7, dtype=pl.String),
        }
    )
    figure = _strip(crowded, ["A", "B", "C", "D", "E"])
    placed = _peer_notes(figure)
    assert [note.name for note in placed] == ["peer-highest", "peer-lowest", "peer-middle"]
    rows = [note.ay for note in placed]
    assert len(set(rows)) == len(rows)  # all at the same rate: each in a row of its own
    assert len({note.text for note in placed}) == 3
    # With the service's own name over the same spot, the row above is taken: the middle is left to the footer.
    mine_there = crowded.with_columns(rate=pl.when(pl.col("service_code") == "ME").then(1002.0).otherwise("rate"))
    assert [note.name for note in _peer_notes(_strip(mine_there, ["A", "B", "C", "D", "E"]))] == [
        "peer-highest",
        "peer-lowest",
    ]


def test_the_group_is_named_in_full_highest_first_with_the_reasons_for_no_value() -> None:
    text = group_roll_call(RATES, "ME", GROUP)
    assert text == (
        "The group, highest rate first: High & <b> 4,000.0; Highish 2,600.0; Middle 2,000.0; Lowish 1,000.0; "
        "Low 500.0. Rate not comparable: Caveated. No countable value: Silent (no return)."
    )


def test_a_metric_missing_from_a_return_is_named_apart_from_no_return() -> None:
    lowish = pl.col("service_code") == "G2"  # sent a return, with no figure for this metric
    rates = RATES.with_columns(
        rate=pl.when(~lowish).then("rate"), status=pl.when(lowish).then(pl.lit("no_return")).otherwise("status")
    )
    text = group_roll_call(rates, "ME", GROUP)
    assert text.endswith(f"No countable value: Lowish ({NO_FIGURE}); Silent (no return).")


def test_the_roll_call_goes_into_the_figure_so_its_png_names_every_member() -> None:
    def chart(note: str) -> go.Figure:
        return strip_chart(
            RATES,
            Labels(title="t", subtitle="s", source="Source: test", note=note),
            highlight="ME",
            group=GROUP,
            group_name="Comparison group",
            polarity="higher_is_better",
            reference_lines={},
        )

    figure = chart(group_roll_call(RATES, "ME", GROUP) * 3)
    footer = " ".join(note.text.replace("<br>", " ") for note in figure.layout.annotations if not note.showarrow)
    for name in ("High &amp; &lt;b&gt;", "Highish", "Middle", "Lowish", "Low", "Caveated", "Silent"):
        assert name in footer
    longer, long = chart("word " * 300), chart("word " * 100)  # 13 and 5 footer lines
    assert longer.layout.height > long.layout.height  # a longer footer makes the chart taller, not the plot smaller
    assert [f.layout.height - f.layout.margin.t - f.layout.margin.b for f in (longer, long)] == [
        long.layout.height - long.layout.margin.t - long.layout.margin.b
    ] * 2


def test_a_median_over_years_names_the_services_it_rests_on() -> None:
    kept = {2023: pl.lit(True), 2024: pl.col("service_code") != "G2"}  # Lowish has no rate in 2024
    years = pl.concat(
        RATES.with_columns(year=pl.lit(year, pl.Int32), rate=pl.when(keep).then("rate")) for year, keep in kept.items()
    )
    steady = steady_members(years, "ME", GROUP)
    assert steady == ["G1", "G3", "G4", "G5"]  # G2 has no rate in 2024; CAV is caveated; NIL never reported
    note = matched_members_note(["Low", "Middle"], ["Lowish", "Silent"], "neighbours", "in both years")
    assert note == (
        "The median rests on the 2 neighbours comparable in both years: Low and Middle; left out (not comparable in "
        "both years): Lowish and Silent."
    )
    one = matched_members_note(["Low"], [], "neighbours", "in both years")
    assert one == "The median rests on the 1 neighbour comparable in both years: Low."
    assert matched_members_note([], ["Low"], "services", "in both years").startswith("No service is comparable")


def test_names_read_as_a_list() -> None:
    said = [names_words(names) for names in ([], ["A"], ["A", "B"], ["A", "B", "C"])]
    assert said == ["", "A", "A and B", "A, B and C"]


def test_a_phone_wide_chart_keeps_fewer_names_apart() -> None:
    """On a phone the same names would overlap: the chart, told its width, puts them in other rows or leaves them to
    the footer."""
    spread = pl.DataFrame(
        {
            "service_code": ["ME", "A", "B", "C"],
            "service_name": ["Mine", "West Northamptonshire", "North Somerset", "Hertfordshire"],
            "rate": [2390.0, 1366.0, 2801.0, 4055.0],
            "caveat": pl.Series([None] * 4, dtype=pl.String),
        }
    )
    wide = _peer_notes(_strip(spread, ["A", "B", "C"]))
    narrow = _peer_notes(_strip(spread, ["A", "B", "C"], width=360))
    assert len({note.ay for note in wide}) < len({note.ay for note in narrow}) or len(narrow) < len(wide)
