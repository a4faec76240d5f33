"""The pages' urlencoded forms are read by the standard library (app/deps.py: form_of)
exactly as Starlette's own form parser reads them, the oracle here; a form of too many
fields is refused, naming the limit, and changes nothing."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers
from starlette.formparsers import FormParser
from starlette.requests import Request

from app.deps import MAX_FIELDS, URLENCODED, form_of
from tests.support import aio
from tests.support.api_helpers import checked

BODIES = [
    b"",
    b"a=1",
    b"a=1&b=&c",  # a blank value and a name without "="
    b"speed=20&mode=train&speed=40",  # a repeated name keeps both, in order
    b"title=caf%C3%A9+au+lait&x=%2B1+%26+2",  # UTF-8 escapes, "+" as a space, %2B, %26
    b"bad=%ff%fe&half=%e2%82",  # escapes that are not UTF-8
    b"raw=\xe9t\xe9",  # bytes that were never escaped
    b"&&a=1&&",  # empty pieces
    b"q=%zz&r=100%",  # a stray %
]


def starlette_form(body: bytes):
    async def chunks():
        yield body

    async def parse():
        return await FormParser(Headers({"content-type": URLENCODED}), chunks()).parse()

    return list(aio.run(parse).multi_items())


def ours(body: bytes, content_type: str = URLENCODED):
    sent = False

    async def receive():
        nonlocal sent
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", content_type.encode())]
    request = Request({"type": "http", "method": "POST", "headers": headers}, receive)
    return list(aio.run(lambda: form_of(request)).multi_items())


@pytest.mark.parametrize("body", BODIES)
def test_an_urlencoded_form_reads_as_starlettes_parser_reads_it(body):
    assert ours(body) == starlette_form(body)


def test_the_content_type_may_name_a_charset_and_be_in_capitals():
    body = b"title=caf%C3%A9&n=2"
    expected = [("title", "café"), ("n", "2")]
    assert ours(body, "Application/X-WWW-Form-Urlencoded; charset=UTF-8") == expected


def test_a_form_of_too_many_fields_is_refused_and_changes_nothing(client, create):
    nid = create(preset="seed-xor")["id"]
    body = "&".join(f"f{i}=1" for i in range(MAX_FIELDS + 1))
    answer = client.post(
        f"/n/{nid}/step",
        content=body,
        headers={"content-type": URLENCODED, "HX-Request": "true"},
    )
    assert answer.status_code == 422, answer.text
    assert f"more than {MAX_FIELDS} fields" in answer.text
    assert checked(client.get(f"/api/networks/{nid}"))["version"] == 1
    fine = "&".join(f"f{i}=1" for i in range(MAX_FIELDS))  # the limit itself is allowed
    headers = {"content-type": URLENCODED, "HX-Request": "true"}
    assert client.post(f"/n/{nid}/step", content=fine, headers=headers).status_code == 200
