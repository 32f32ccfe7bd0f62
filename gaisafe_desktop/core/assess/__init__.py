"""The standard's assessments (Appendix B and clause 5.1): resources, sources, spot checks, refusal.

One module per check (``resources_check``, ``sources``, ``training_manual``, ``technical``,
``generated``, ``refusal``); each stores an audited result (``results``) with its inputs, counts,
interval, verdict and the failing items. ``summary.assessment_summary`` gives the rows the report
and the dashboard show; ``run_all.assess_all`` runs everything.
"""
