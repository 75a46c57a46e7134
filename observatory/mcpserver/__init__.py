"""The Model Context Protocol server over the observatory's data (``observatory mcp``); see ``server.py``."""
