"""The serving side: what the app reads through (prepared tables, the catalogue, queries). Never imports the build."""
