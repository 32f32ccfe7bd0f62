"""The ``gaisafe`` command line: parses, calls one core function, prints."""
