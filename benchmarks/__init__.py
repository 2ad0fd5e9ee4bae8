"""Speed, size and memory figures of the observatory, printed (never asserted)."""
