"""One pattern for URL state, used by every page.

A control's value lives in its widget key. The URL is read into those keys only when the user navigates:
the first time the session opens the page, a link, Back or Forward (any run whose URL differs from what
this page last wrote). After the user changes a control, the page writes the URL once, with only the
values that differ from their defaults. So a widget is never re-created from a URL it has just written
(which reset every second change), every change is one history entry, and Back and Forward walk
through the views the user saw.

Why not Streamlit's own `bind="query-params"` (1.67): tried on a two-page app in Chromium, first visit and
three changes in a row work, but each bound change replaces the history entry (after three changes, Back left
the app for about:blank), and a value it does not know is dropped without a word. Both are behaviours the
interaction tests pin (Back and Forward walk through the views; a link's unknown value gets a notice).

Notices (a link's value not recognised, a year the metric does not have) go in the main column, not beside the
control in the sidebar, which a phone hides; they stay while the page shows the view they explain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
NONE = "none"  # keeps an all-off multiple choice in the link (an absent value means the default)
LAST_PAGE = "_url_page"  # the session state key of the page that ran last


def url_text(value: object) -> str:
    """A control's value as the URL spells it (a switch is 1 or 0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class UrlState:
    """The URL state of one page: controls register here before their widgets are drawn."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._written_key = f"_url_written:{page}"
        self.url = st.query_params.to_dict()
        # Coming from another page is navigation too, even by a link equal to the one this page last wrote (a "your
        # service" link back to it): the page's widgets were dropped when the visitor left; the link refills them.
        came_in = st.session_state.get(LAST_PAGE) != page
        st.session_state[LAST_PAGE] = page
        self.navigated = came_in or st.session_state.get(self._written_key) != self.url
        self._encoders: dict[str, tuple[Callable[[], str], str]] = {}
        self._notices_key = f"_url_notices:{page}"
        self._notices: list[str] = []

    def key(self, name: str) -> str:
        """The widget key of control `name` (page-scoped, so pages never read each other's widgets)."""
        return f"{self.page}:{name}"

    def choice(
        self,
        name: str,
        options: Sequence[T],
        default: T,
        label: str | None = None,
        implied: T | None = None,
        left_out: str | None = None,
    ) -> str:
        """Prepares a single-choice control (select box, radio, slider, toggle) and returns its widget key.

        On navigation the value comes from the URL (a value outside `options` gets a notice, `left_out` if given, and
        the default; the bad value is never echoed; `implied`, if given, stands in for a parameter the link leaves
        out); otherwise the user's last choice stays, unless the options changed under it.
        """
        key = self.key(name)
        if self.navigated:
            if implied is not None and name not in self.url:
                st.session_state[key] = implied
            else:
                st.session_state[key] = self._from_url(name, options, default, label, left_out)
        elif key not in st.session_state or st.session_state[key] not in options:
            st.session_state[key] = default
        self._encoders[name] = (lambda: url_text(st.session_state[key]), url_text(default))
        return key

    def many(
        self,
        name: str,
        options: Sequence[str],
        default: Sequence[str] = (),
        label: str | None = None,
        left_out: str | None = None,
    ) -> str:
        """Prepares a multiple-choice control; in the URL its values are joined with commas ("none": empty).

        `left_out` is the notice for values that are real but not allowed here (for example the service
        itself in its own comparison group); unknown values get the usual notice.
        """
        key = self.key(name)
        allowed = set(options)
        if self.navigated:
            raw = self.url.get(name)
            if raw is None or raw == "":
                chosen = list(default)
            elif raw == NONE:
                chosen = []
            else:
                asked = list(dict.fromkeys(raw.split(",")))
                chosen = [value for value in asked if value in allowed]
                if len(chosen) < len(asked):
                    self.notice(left_out or f"Some of the link's {label or name} were not recognised and are left out.")
            st.session_state[key] = chosen
        else:
            kept = [value for value in st.session_state.get(key, default) if value in allowed]
            if kept != st.session_state.get(key):
                st.session_state[key] = kept
        self._encoders[name] = (lambda: ",".join(st.session_state[key]) or NONE, ",".join(default) or NONE)
        return key

    def write(self) -> None:
        """Writes the URL after a change of a control; a run caused by navigation leaves the URL as it came.

        Then shows the notices of the view in the main column: this run's, or those of the run that opened this view
        (a rerun that changes nothing, or only tidies a link's bad value out of the URL, keeps them).
        """
        wanted = {name: text for name, (current, default) in self._encoders.items() if (text := current()) != default}
        views = {_view(wanted)} | ({_view(self.url)} if self.navigated else set())
        if not self.navigated and wanted != self.url:
            st.query_params.from_dict(wanted)
            self.url = wanted
        st.session_state[self._written_key] = self.url
        if self.navigated or self._notices:
            st.session_state[self._notices_key] = (views, self._notices)
        shown_in, notices = st.session_state.get(self._notices_key, (set(), []))
        if _view(self.url) in shown_in:
            for text in notices:
                st.warning(text, icon="⚠️")

    def notice(self, text: str) -> None:
        """A notice for the main column, shown by write() (controls are drawn in the sidebar, hidden on a phone)."""
        if text not in self._notices:
            self._notices.append(text)

    def _from_url(self, name: str, options: Sequence[T], default: T, label: str | None, left_out: str | None) -> T:
        raw = self.url.get(name)
        if raw is None or raw == "":
            return default
        for option in options:
            if url_text(option) == raw:
                return option
        self.notice(left_out or f"The link's {label or name} was not recognised, so the default is shown.")
        return default


def _view(url: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A URL's parameters as a value that can be kept in a set."""
    return tuple(sorted(url.items()))
