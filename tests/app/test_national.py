"""National estimates: grossed up by population within regions, with an interval and an honest label."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from observatory_data.serving.catalogue import CATALOGUE
from tests.support.pages import ROOT

LOANS = CATALOGUE["loans"].label


def test_overview_headlines_the_estimate_labelled_as_such() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.run()
    loans = next(metric for metric in app.metric if metric.label == LOANS)
    assert loans.value.endswith("million") and 130 < float(loans.value.split()[0]) < 175
    caption = next(caption.value for caption in app.caption if "loans (reported sum)" in caption.value)
    assert caption.startswith("**Estimated, indicative** for all of England: 95% interval")
    # The Overview opens on the latest year, 2025/26: 107 services returned 95,609,567 loans; 68.2% of residents.
    assert "returned 95.6 million loans (reported sum)" in caption and "hold 68.2% of England's residents" in caption
