"""The way documents come in: a batch ingested file by file (ingest.py), read in extraction
workers (workers.py), or an inbox folder watched for new files (watching.py)."""
