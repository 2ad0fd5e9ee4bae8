"""The app's pages as the tests see them: read from app.py, so a new page is tested without edits here."""

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
