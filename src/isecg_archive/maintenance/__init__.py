"""Keeping an archive right after it is built: a person's corrections to records and
re-detection (corrections.py), and the consistency check with the repair of what an
interrupted command left (check.py)."""
