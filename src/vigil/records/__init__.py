"""Record envelopes: registering, reading, listing, re-sharing and reviewing any kind of record."""
