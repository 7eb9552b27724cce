"""The append-only, hash-chained log of every write, read, search and screening."""
