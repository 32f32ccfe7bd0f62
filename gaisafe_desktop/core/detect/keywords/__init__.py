"""Keyword libraries and the keyword engine (B.1.1, B.2.1b, B.2.2c).

- ``normalize``: normal form of text for matching, with a map back to original offsets;
- ``library``: entries (terms, ``&``/``~`` rules, allowlist) and their parsing;
- ``matcher``: the compiled library that finds hits in batches of records;
- ``scanner``: large scans over files in worker processes, with progress and cancel;
- ``formats``: import/export of CSV, TSV, XLSX and TXT libraries;
- ``versions``: library versions stored in the project file, and their diff;
- ``conformance``: the B.1.1 check; ``suggest``: candidate terms mined from labelled text.
"""
