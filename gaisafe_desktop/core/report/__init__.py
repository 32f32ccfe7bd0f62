"""PDF reports, signing keys and signatures (reportlab and pyHanko live only in this package).

- ``model.py``: the typed report model other areas fill (no reportlab);
- ``from_project.py``: builds the model from a project file and the areas' contributors;
- ``render.py`` / ``layout.py`` / ``charts.py`` / ``fonts.py``: the Chinese and English PDF editions;
- ``keys.py``: the per-user key store (PKCS#12); ``sign.py``: PAdES signing, verification, detached CMS;
- ``contrib_*.py``: fallback contributions built on the areas' public functions.
"""
