"""The web app serving a built graph (see api/main.py)."""
