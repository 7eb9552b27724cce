"""Alerts for members: a per-member inbox and a live stream, both filtered by access."""
