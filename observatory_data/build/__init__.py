"""The build side: turns the public sources into the prepared tables. The app never imports it."""
