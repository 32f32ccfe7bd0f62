"""Manual spot checks: queues from a drawn sample, one-key decisions, review, adjudication, agreement.

``queues`` builds a queue and assigns it; ``decisions`` judges, skips, undoes and finds the next
item (which is how the workbench resumes); ``agreement`` gives percent agreement and Cohen's kappa
per annotator pair; ``progress`` the counts, rate, time per item and ETA.
"""
