"""The web workspace: server-rendered pages in English, French, Spanish and Arabic."""
