"""Verifiable random sampling: seeded, logged before the draw, re-drawable by anyone from the same files."""
