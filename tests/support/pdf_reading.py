"""Reading a PDF back as a reader's software does: its text, its metadata and its tag structure (pypdf)."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

A4_POINTS = (595.28, 841.89)


def pdf_reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def pdf_text(reader: pypdf.PdfReader) -> str:
    """Every page's text, in order."""
    return "\n".join(page.extract_text() for page in reader.pages)


def structure_elements(node: object) -> list[DictionaryObject]:
    """Every structure element under `node`, depth first (marked-content ids and page references skipped)."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        return [element for child in node for element in structure_elements(child)]
    if not isinstance(node, DictionaryObject) or node.get("/Type") == "/Page":
        return []
    found = [node] if "/S" in node else []
    return found + (structure_elements(node["/K"]) if "/K" in node else [])


def is_tagged(reader: pypdf.PdfReader, language: str = "en-GB") -> bool:
    """Marked as tagged, with a structure tree and the document's language."""
    catalog = reader.trailer["/Root"]
    return (
        catalog.get("/Lang") == language
        and catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
        and "/StructTreeRoot" in catalog
    )


def figure_alts(reader: pypdf.PdfReader) -> list[str]:
    """The alt text of every Figure element, in reading order."""
    elements = structure_elements(reader.trailer["/Root"]["/StructTreeRoot"])
    return [str(element.get("/Alt", "")) for element in elements if element["/S"] == "/Figure"]
