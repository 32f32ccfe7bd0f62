"""The clause checklist: applicability (with logged overrides), results, evidence, assessment links, export."""
