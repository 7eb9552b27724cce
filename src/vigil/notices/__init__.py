"""Notices and diffusions: request, compliance review, publication, alerts, public extracts."""
