"""Parse and validate the three feedback channels into one record shape."""

from pipelines.ingest.files import FileRejected
from pipelines.ingest.run import FileReport, IngestOptions, ingest_file

__all__ = ["FileRejected", "FileReport", "IngestOptions", "ingest_file"]
