"""Signing in on the page: the session cookie, CSRF, throttling and keeping what was typed."""

from __future__ import annotations

import httpx

from tests import factories
from tests.integration.web.helpers import csrf_token, post_form, sign_in


async def test_sign_in_sets_an_http_only_session_cookie_and_opens_the_home_page(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional(full_name="Aino Virtanen")
    response = await sign_in(client, person)
    cookie = next(h for h in response.headers.get_list("set-cookie")
                  if h.startswith("asta_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # only when ASTA_ENV=production
    assert response.headers["location"] == "/home"
    home = await client.get("/home")
    assert home.status_code == 200
    assert "Aino Virtanen" in home.text


async def test_a_form_without_its_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await client.get("/sign-in")  # the CSRF cookie alone is not enough
    response = await client.post("/sign-in", data={"email": person.email,
                                                   "password": factories.PASSWORD})
    assert response.status_code == 403
    assert "asta_session" not in response.cookies
    assert "<html" in response.text  # a page, not API JSON


async def test_the_api_keeps_working_without_csrf(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    response = await client.post("/api/auth/token", json={"email": person.email,
                                                          "password": factories.PASSWORD})
    assert response.status_code == 200


async def test_wrong_password_keeps_the_email_and_says_what_went_wrong(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    response = await post_form(client, "/sign-in", "/sign-in",
                               {"email": person.email, "password": "not-the-password"})
    assert response.status_code == 401
    assert f'value="{person.email}"' in response.text
    assert "Väärä sähköpostiosoite tai salasana" in response.text  # Finnish by default
    assert "asta_session" not in response.cookies


async def test_an_empty_email_is_marked_next_to_the_field(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/sign-in", "/sign-in", {"email": "", "password": "x"})
    assert response.status_code == 422
    assert 'id="f-email-error"' in response.text
    assert 'aria-invalid="true"' in response.text


async def test_repeated_failures_are_throttled_by_the_sign_in_service(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    for _ in range(5):
        await post_form(client, "/sign-in", "/sign-in",
                        {"email": person.email, "password": "wrong-password"})
    response = await post_form(client, "/sign-in", "/sign-in",
                               {"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "Liian monta" in response.text


async def test_pages_need_a_session_and_come_back_after_sign_in(
        client: httpx.AsyncClient) -> None:
    response = await client.get("/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/profile"
    person = await factories.professional()
    page = await client.get(response.headers["location"])
    signed = await client.post("/sign-in", data={
        "_csrf_token": csrf_token(page.text), "email": person.email,
        "password": factories.PASSWORD, "next": "/profile"})
    assert signed.headers["location"] == "/profile"


async def test_an_expired_session_cookie_leads_back_to_sign_in(client: httpx.AsyncClient) -> None:
    from asta.core.security import issue_token

    person = await factories.professional()
    client.cookies.set("asta_session", issue_token(person.id, kind="session", minutes=-1))
    response = await client.get("/home")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


async def test_sign_out_clears_the_session(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    response = await post_form(client, "/home", "/sign-out", {})
    assert response.status_code == 303
    assert (await client.get("/home")).status_code == 303


async def test_next_never_leaves_the_site(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    response = await post_form(client, "/sign-in", "/sign-in", {
        "email": person.email, "password": factories.PASSWORD, "next": "//evil.example/"})
    assert response.headers["location"] == "/home"


async def test_a_professional_cannot_open_staff_pages(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    response = await client.get("/pool")
    assert response.status_code == 403
    assert "<html" in response.text


async def test_the_sign_in_page_keeps_next_from_its_address(client: httpx.AsyncClient) -> None:
    page = await client.get("/sign-in?next=/shifts")
    assert 'name="next" value="/shifts"' in page.text
    person = await factories.professional()
    signed = await client.post("/sign-in", data={
        "_csrf_token": csrf_token(page.text), "email": person.email,
        "password": factories.PASSWORD, "next": "/shifts"})
    assert signed.headers["location"] == "/shifts"
    again = await client.get("/sign-in?next=/shifts")  # already signed in: straight there
    assert (again.status_code, again.headers["location"]) == (303, "/shifts")
    for outside in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        away = await client.get("/sign-in", params={"next": outside})
        assert away.headers["location"] == "/home"
