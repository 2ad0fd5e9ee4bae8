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


def url_parameters(page: str) -> set[str]:
    """The query parameters a page reads: first arguments of its url_* helpers and st.query_params look-ups.

    A page that reads a parameter must answer a junk value with a notice; the others just must not break.
    """
    names = set()
    for node in ast.walk(ast.parse((ROOT / page).read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            reads_params = isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value).endswith(
                "query_params"
            )
            if function.startswith("url_") or (reads_params and function == "get"):
                names.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value).endswith("query_params")
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names
