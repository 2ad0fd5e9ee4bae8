"""Name normalisation, because the same authority is spelt many ways across the sources."""

import re

_SYMBOLS = {"&": " and ", "+": " and ", "st.": "st ", "saint ": "st "}
_PHRASES = re.compile(r"\b(london borough of|royal borough of|city and county of)\b")
_NOISE = re.compile(r"\b(council|county|borough|city|metropolitan|district|corporation|the|of|mbc)\b")


def name_key(name: str) -> str:
    """A loose key for matching authority names: lower case, '&' as 'and', no punctuation or council words."""
    text = name.lower()
    for old, new in _SYMBOLS.items():
        text = text.replace(old, new)
    text = _NOISE.sub(" ", _PHRASES.sub(" ", text))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())
