"""The JSON API under /api: its routes and the Pydantic schemas of every request and answer."""
