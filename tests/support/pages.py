"""The app's pages as the tests see them: the registry app.py builds its navigation from, and what each page reads."""

from __future__ import annotations

import ast
from pathlib import Path

from app_pages.registry import PAGES

ROOT = Path(__file__).resolve().parents[2]


def app_pages() -> list[tuple[str, str]]:
    """(page file, url path) for every page of the app; the default page lives at the root ("")."""
    return [(page.path, page.url_path) for page in PAGES]


def page_state_name(page: str) -> str:
    """The name the page gives its URL state (`start_page("benchmark")`): its widget keys start with it."""
    for node in ast.walk(ast.parse((ROOT / page).read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "start_page":
            return node.args[0].value
    raise AssertionError(f"{page} does not call start_page")


def url_parameters(page: str) -> set[str]:
    """The query parameters a page reads: first arguments of its UrlState controls and URL look-ups.

    A page that reads a parameter must answer a junk value with a notice; the others just must not break.
    """
    names = set()
    for node in ast.walk(ast.parse((ROOT / page).read_text())):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        if getattr(node.func, "id", "") == "briefing_switch":
            names.add("briefing")
        if getattr(node.func, "id", "") == "year_select":  # app_pages.kit.controls' year control
            names.add("year")
        if not isinstance(node.args[0], ast.Constant):
            continue
        function = getattr(node.func, "attr", "")
        owner = ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if (owner == "state" and function in ("choice", "many")) or (owner == "state.url" and function == "get"):
            names.add(node.args[0].value)
    return names
