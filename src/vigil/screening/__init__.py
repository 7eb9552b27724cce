"""Screening across the databases, and the hits it finds (shared by documents and persons)."""
