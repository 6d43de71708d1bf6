from __future__ import annotations

import httpx
from sqlalchemy import func, select

from asta.accounts import totp
from asta.accounts.models import User
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.security import issue_token
from asta.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed
from asta.marketplace.models import Shift


async def counts() -> tuple[int, int]:
    async with unit_of_work() as session:
        users = await session.scalar(select(func.count()).select_from(User)) or 0
        shifts = await session.scalar(select(func.count()).select_from(Shift)) or 0
    return users, shifts


async def test_demo_seeding_is_idempotent_and_gives_doctors_shifts_to_claim(
        client: httpx.AsyncClient) -> None:
    await seed()
    first = await counts()
    await seed()
    assert await counts() == first
    assert first[0] >= 125
    signed_in = await client.post("/api/auth/token", json={
        "email": "scheduler.kymenlaakso@asta.demo", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 200
    # The demo admins use the authenticator key the README gives.
    admin = await client.post("/api/auth/token", json={
        "email": "admin.kymenlaakso@asta.demo", "password": DEMO_PASSWORD,
        "totp_code": totp.code_at(DEMO_TOTP_SECRET, utcnow())})
    assert admin.status_code == 200, admin.text
    async with unit_of_work() as session:
        doctor = await session.scalar(select(User).where(User.email == "doctor1@asta.demo"))
    assert doctor is not None
    board = await client.get("/api/shifts", headers={
        "Authorization": f"Bearer {issue_token(doctor.id)}"})
    assert board.status_code == 200
    assert board.json()["total"] > 0
