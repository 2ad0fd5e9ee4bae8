"""Briefings to take away: one A4 PDF per service, region and England, built from the same tables and section
builders as the pages (never retyped) and rendered by components.briefings.pdf."""
