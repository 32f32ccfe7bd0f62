"""The manual spot-check workbench: one key decides and advances (see ``docs/workbench.md``)."""
