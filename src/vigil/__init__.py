"""Vigil: a neutral exchange where police forces share information against trafficking."""

__version__ = "0.1.0"
