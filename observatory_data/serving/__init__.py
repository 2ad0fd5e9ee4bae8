"""The serving side: what the app reads through (prepared tables, the catalogue, the questions asked of them). Never
imports the build."""
