"""The JSON API under /api (placeholder: routes come with the service issue)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["api"])
