"""Apache Parquet, read one record batch at a time with pyarrow (bounded memory)."""

from __future__ import annotations

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.formats.base import ReadContext

NAME = "parquet"
EXTENSIONS = (".parquet", ".pq")
TEXT = False
BATCH = 8192


def read(ctx: ReadContext):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(ctx.path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ValidationError(
            N_("{file}: not a readable Parquet file ({error})."), file=str(ctx.path), error=str(exc)
        ) from None
    row = 0
    for batch in pf.iter_batches(batch_size=BATCH):
        for rec in batch.to_pylist():
            row += 1
            yield row, rec
