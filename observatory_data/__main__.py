"""`python -m observatory_data build`: the same command line as the `observatory` console script."""

from observatory_data.build.cli import run

run()
