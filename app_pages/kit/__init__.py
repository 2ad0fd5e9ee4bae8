"""The page kit: what every page shares (cached loading, the page's start and controls, chart and table output)."""
