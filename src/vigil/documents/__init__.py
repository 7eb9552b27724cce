"""Travel and identity documents: reading and writing their machine readable zones (``mrz``)."""
