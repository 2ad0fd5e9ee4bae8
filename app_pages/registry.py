"""The app's pages in one list: app.py builds the navigation from it; tests and benchmarks read it too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # the page script, relative to the project root
    title: str
    icon: str
    url_path: str  # "" for the default page at the root


PAGES = (
    PageSpec("app_pages/home.py", "Overview", ":material/home:", ""),
    PageSpec("app_pages/offer_trends.py", "Offer trends", ":material/show_chart:", "trends"),
    PageSpec("app_pages/priority_places.py", "Priority Places", ":material/place:", "places"),
    PageSpec("app_pages/service_benchmark.py", "Service benchmark", ":material/balance:", "benchmark"),
    PageSpec("app_pages/map.py", "Map", ":material/map:", "map"),
    PageSpec("app_pages/network.py", "Library network", ":material/account_tree:", "network"),
    PageSpec("app_pages/data_methods.py", "Data and methods", ":material/menu_book:", "data"),
)


def page_path(url_path: str) -> str:
    """The script of the page served at `/url_path` ("" for the Overview): links name a page by its address."""
    return next(page.path for page in PAGES if page.url_path == url_path)
