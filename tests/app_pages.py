"""The app's pages as the tests and the benchmark see them: read from app.py, so a new page needs no edits here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def app_pages() -> list[tuple[str, str]]:
    """(page file, url path) for every st.Page in app.py; the default page lives at the root ("")."""
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            path = node.args[0].value
            keywords = {k.arg: k.value.value for k in node.keywords}
            pages.append((path, "" if keywords.get("default") else keywords["url_path"]))
    return pages


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
        if not isinstance(node.args[0], ast.Constant):
            continue
        function = getattr(node.func, "attr", "")
        owner = ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if (owner == "state" and function in ("choice", "many")) or (owner == "state.url" and function == "get"):
            names.add(node.args[0].value)
    return names
