"""Import of training data, transcripts, question banks and media folders (issue 3).

Public API: :func:`importer.import_dataset`, :func:`iterate.iter_records`,
:func:`manifest.dataset_population`, :func:`detect.preview`. Record keys: :mod:`keys`.
"""
