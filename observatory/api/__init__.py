"""The read-only HTTP API over the published store (``observatory serve``); see ``app.py``."""
