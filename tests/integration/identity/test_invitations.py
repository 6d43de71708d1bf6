"""Staff invitations: an area admin invites into their own area only; the invitee sets a name
and a password through a single-use link and gets the role; everything is audited."""

from __future__ import annotations

from datetime import timedelta

import httpx
import time_machine
from sqlalchemy import select

from asta.accounts.models import Organisation, RoleAssignment, User
from asta.core.audit import AuditEvent
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from tests import factories
from tests.integration.identity.helpers import deliver, link_in, subject, to
from tests.integration.mail import Inbox
from tests.integration.web.helpers import csrf_token, post_form, sign_in

PASSWORD = "invited-and-secret"


async def invite(client: httpx.AsyncClient, admin: User, org: Organisation,
                 email: str = "new.scheduler@asta.test", **extra: str) -> httpx.Response:
    return await client.post("/api/invitations", headers=factories.auth(admin), json={
        "organisation_id": str(org.id), "email": email, "role": "scheduler", **extra})


async def accept(client: httpx.AsyncClient, token: str,
                 name: str = "Nina Näppärä") -> httpx.Response:
    form = await client.get(f"/invitation?token={token}")
    assert form.status_code == 200, form.text
    return await client.post("/invitation", data={
        "_csrf_token": csrf_token(form.text), "token": token, "full_name": name,
        "password": PASSWORD})


async def test_an_invitee_sets_a_password_and_becomes_a_scheduler_of_the_area(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    created = await invite(client, admin, org, locale="sv")
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending"
    [mail] = to(await deliver(smtp), "new.scheduler@asta.test")
    assert subject(mail).startswith("Du är inbjuden till")
    page, token = link_in(mail)
    assert page == "/invitation"
    done = await accept(client, token)
    assert done.status_code == 200, done.text
    signed = await client.post("/api/auth/token", json={"email": "new.scheduler@asta.test",
                                                        "password": PASSWORD})
    me = await client.get("/api/me", headers={
        "Authorization": f"Bearer {signed.json()['access_token']}"})
    assert me.json()["full_name"] == "Nina Näppärä"
    assert [(g["role"], g["organisation_id"]) for g in me.json()["grants"]] == [
        ("scheduler", str(org.id))]
    assert (await client.get(f"/invitation?token={token}")).status_code == 410  # used
    async with unit_of_work() as session:
        actions = list(await session.scalars(select(AuditEvent.action).where(
            AuditEvent.organisation_id == org.id).order_by(AuditEvent.id)))
    assert actions[:3] == ["invite", "invitation_accepted", "grant"]
    listed = await client.get(f"/api/invitations?organisation_id={org.id}",
                              headers=factories.auth(admin))
    assert listed.json() == []  # accepted: no longer pending


async def test_an_admin_cannot_invite_into_or_see_another_area(
        client: httpx.AsyncClient) -> None:
    org_a, org_b = await factories.organisation("A"), await factories.organisation("B")
    admin_a, admin_b = await factories.area_admin(org_a), await factories.area_admin(org_b)
    scheduler_a = await factories.scheduler(org_a)
    assert (await invite(client, admin_b, org_a)).status_code == 404
    assert (await invite(client, scheduler_a, org_a)).status_code == 403
    mine = await invite(client, admin_a, org_a)
    invitation_id = mine.json()["id"]
    for path in (f"/api/invitations/{invitation_id}/resend",
                 f"/api/invitations/{invitation_id}/revoke"):
        answer = await client.post(path, headers=factories.auth(admin_b))
        assert answer.status_code == 404
    listed = await client.get(f"/api/invitations?organisation_id={org_a.id}",
                              headers=factories.auth(admin_b))
    assert listed.status_code == 404
    other_unit = await factories.unit(org_b)
    wrong_unit = await invite(client, admin_a, org_a, email="x@asta.test",
                              unit_id=str(other_unit.id))
    assert wrong_unit.status_code == 422


async def test_resending_replaces_the_link_and_revoking_ends_it(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    invitation_id = (await invite(client, admin, org)).json()["id"]
    [first] = await deliver(smtp)
    resent = await client.post(f"/api/invitations/{invitation_id}/resend",
                               headers=factories.auth(admin))
    assert resent.status_code == 200
    second = (await deliver(smtp))[-1]
    assert (await client.get(f"/invitation?token={link_in(first)[1]}")).status_code == 410
    assert (await client.get(f"/invitation?token={link_in(second)[1]}")).status_code == 200
    revoked = await client.post(f"/api/invitations/{invitation_id}/revoke",
                                headers=factories.auth(admin))
    assert revoked.json()["status"] == "revoked"
    assert (await client.get(f"/invitation?token={link_in(second)[1]}")).status_code == 410
    again = await client.post(f"/api/invitations/{invitation_id}/resend",
                              headers=factories.auth(admin))
    assert again.status_code == 409


async def test_an_invitation_expires_after_a_week(
        client: httpx.AsyncClient, smtp: Inbox, clock: time_machine.TimeMachineFixture) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await invite(client, admin, org)
    [mail] = await deliver(smtp)
    clock.move_to(utcnow() + timedelta(days=7, seconds=1))
    assert (await client.get(f"/invitation?token={link_in(mail)[1]}")).status_code == 410
    listed = await client.get(f"/api/invitations?organisation_id={org.id}",
                              headers=factories.auth(admin))
    assert [i["status"] for i in listed.json()] == ["expired"]


async def test_the_admin_page_invites_lists_and_revokes(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await sign_in(client, admin)
    sent = await post_form(client, "/invitations", "/invitations", {
        "organisation_id": str(org.id), "email": "page.admin@asta.test",
        "role": "area_admin", "locale": "en"})
    assert sent.status_code == 303
    listing = await client.get("/invitations")
    assert "page.admin@asta.test" in listing.text
    [mail] = await deliver(smtp)
    assert subject(mail).startswith("You are invited to")
    async with unit_of_work() as session:
        invitation_id = await session.scalar(select(AuditEvent.entity_id).where(
            AuditEvent.action == "invite"))
    revoked = await client.post(f"/invitations/{invitation_id}/revoke",
                                data={"_csrf_token": csrf_token(listing.text)})
    assert revoked.status_code == 303
    assert "page.admin@asta.test" not in (await client.get("/invitations")).text
    async with unit_of_work() as session:
        grants = await session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.role == "area_admin", RoleAssignment.user_id != admin.id))
    assert grants is None
