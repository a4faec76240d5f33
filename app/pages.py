"""HTML pages and htmx fragments (placeholder: pages come with the lab page issue)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
