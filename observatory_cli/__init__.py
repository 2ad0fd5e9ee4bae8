"""The `observatory` command line: the build's commands (build, add-year, export) and the briefings, which need the
components that draw them and so cannot live on the build side."""
