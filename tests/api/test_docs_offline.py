"""/docs works offline: the Swagger UI page loads only the vendored files under /static."""

from __future__ import annotations

import re


def test_docs_reference_only_local_files_and_they_are_served(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "SwaggerUIBundle" in page.text
    assert not re.search(r"https?://", page.text), "/docs must not load anything from a CDN"
    urls = re.findall(r'(?:href|src)="([^"]+)"', page.text)
    assert len(urls) == 3  # the stylesheet, the favicon and the script
    for url in urls:
        assert url.startswith("/static/vendor/swagger-ui/"), url
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 100, url
    assert "url: '/openapi.json'" in page.text
    assert client.get("/openapi.json").status_code == 200


def test_vendored_swagger_ui_keeps_its_licence_and_version_note(client):
    for name in ("LICENSE", "VERSION"):
        assert client.get(f"/static/vendor/swagger-ui/{name}").status_code == 200
    assert client.get("/redoc").status_code == 404  # redoc would need a CDN: not served
