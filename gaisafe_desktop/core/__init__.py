"""Headless core of GAISafe Desktop. Never imports Qt, the CLI or the UI."""
