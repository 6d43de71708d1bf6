"""Pages of the e-mailed identity flows: forgotten password, sign-up with a confirmed address,
and accepting a staff invitation. Each answers the same whether or not an address has an
account; the links carry single-use tokens (asta.accounts.identity)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.accounts.controllers import client_ip
from asta.accounts.identity import invitations, passwords, verification
from asta.accounts.identity.models import TokenPurpose
from asta.accounts.identity.schemas import InvitationAccept, PasswordReset
from asta.accounts.schemas import ProfessionalSignUp
from asta.web.forms import FormAttempt, text
from asta.web.i18n import LOCALES, N_, gettext
from asta.web.pages.auth import session_cookie
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
TokenQuery = Annotated[str, QueryParameter(name="token", max_length=100)]

CHECK_MAIL = N_("Check your e-mail")
SENT_RESET = N_("If the address has an Asta account, we have sent it a link to choose a new "
                "password. The link works for an hour.")
SENT_VERIFICATION = N_("If the address is new to Asta, we have sent it a link to confirm it. "
                       "Open it within two days, then sign in. If the address already has an "
                       "account, its owner gets an e-mail instead.")
RESENT_VERIFICATION = N_("If the address has an account waiting for confirmation, we have sent "
                         "it a new link.")
EXPIRED = N_("This link has expired or has already been used")


def notice(request: AnyRequest, title: str, message: str, *, href: str = "/sign-in",
           link_text: str = N_("Sign in"), status_code: int = 200) -> Template:
    return page(request, "identity_notice.html", title=title, message=message, href=href,
                link_text=link_text, status_code=status_code)


# Forgotten password

@get("/forgot-password", name="forgot_password")
async def forgot_password(request: AnyRequest) -> Template:
    return page(request, "forgot_password.html", values={"email": ""}, errors={})


@post("/forgot-password", name="forgot_password_submit")
async def forgot_password_submit(request: AnyRequest, db: AsyncSession) -> Template:
    return await _address_form(request, db, "forgot_password.html", passwords.request_reset,
                               SENT_RESET)


async def _address_form(request: AnyRequest, db: AsyncSession, template: str,
                        service: Callable[[AsyncSession, str, str], Awaitable[Any]],
                        sent: str) -> Template:
    """A form that asks only for an address: the same answer whether or not it is known."""
    form = await request.form()
    values = {"email": text(form, "email").strip()[:320]}
    if not values["email"]:
        return page(request, template, values=values, errors={"email": _missing(request)},
                    status_code=422)
    async with FormAttempt(db, request_locale(request)) as attempt:
        await service(db, values["email"], client_ip(request))
    if attempt.errors:
        return page(request, template, values=values, errors=attempt.errors, status_code=429)
    return notice(request, CHECK_MAIL, sent)


def _missing(request: AnyRequest) -> str:
    return gettext(request_locale(request), "Fill in this field.")


@get("/reset-password", name="reset_password")
async def reset_password(request: AnyRequest, db: AsyncSession, token: TokenQuery = "") -> Template:
    if not await passwords.link_is_valid(db, token, TokenPurpose.PASSWORD_RESET):
        return notice(request, EXPIRED, N_("Ask for a new link to choose a new password."),
                      href="/forgot-password", link_text=N_("Ask for a new link"),
                      status_code=410)
    return page(request, "reset_password.html", token=token, errors={})


@post("/reset-password", name="reset_password_submit")
async def reset_password_submit(request: AnyRequest, db: AsyncSession) -> Template:
    form = await request.form()
    token = text(form, "token")
    async with FormAttempt(db, request_locale(request)) as attempt:
        data = PasswordReset(token=token, password=text(form, "password"))
        await passwords.reset_password(db, data.token, data.password)
    if attempt.errors:
        return page(request, "reset_password.html", token=token, errors=attempt.errors,
                    status_code=422)
    response = notice(request, N_("Your password has been changed"),
                      N_("You have been signed out everywhere. Sign in with the new password."))
    response.cookies.append(session_cookie(None))
    return response


# Sign-up with a confirmed address

@get("/sign-up", name="sign_up")
async def sign_up(request: AnyRequest) -> Template:
    return page(request, "sign_up.html", values={"full_name": "", "email": ""}, errors={})


@post("/sign-up", name="sign_up_submit")
async def sign_up_submit(request: AnyRequest, db: AsyncSession) -> Template:
    form = await request.form()
    values = {"full_name": text(form, "full_name"), "email": text(form, "email")}
    locale = request_locale(request)
    async with FormAttempt(db, locale) as attempt:
        data = ProfessionalSignUp(full_name=values["full_name"], email=values["email"],
                                  password=text(form, "password"),
                                  locale=locale if locale in LOCALES else "fi")
        await accounts.sign_up_professional(db, data)
    if attempt.errors:
        return page(request, "sign_up.html", values=values, errors=attempt.errors,
                    status_code=422)
    return notice(request, CHECK_MAIL, SENT_VERIFICATION)


@get("/verify-email", name="verify_email")
async def verify_email(request: AnyRequest, db: AsyncSession, token: TokenQuery = "") -> Template:
    # Opening the link only shows a button: mail scanners that fetch links confirm nothing.
    if not await passwords.link_is_valid(db, token, TokenPurpose.EMAIL_VERIFICATION):
        return notice(request, EXPIRED, N_("Ask for a new confirmation link."),
                      href="/resend-verification", link_text=N_("Ask for a new link"),
                      status_code=410)
    return page(request, "verify_email.html", token=token)


@post("/verify-email", name="verify_email_submit")
async def verify_email_submit(request: AnyRequest, db: AsyncSession) -> Template:
    form = await request.form()
    async with FormAttempt(db, request_locale(request)) as attempt:
        await verification.verify(db, text(form, "token"))
    if attempt.errors:
        return notice(request, EXPIRED, N_("Ask for a new confirmation link."),
                      href="/resend-verification", link_text=N_("Ask for a new link"),
                      status_code=410)
    return notice(request, N_("Your e-mail address is confirmed"),
                  N_("Sign in and complete your profile."))


@get("/resend-verification", name="resend_verification")
async def resend_verification(request: AnyRequest) -> Template:
    return page(request, "resend_verification.html", values={"email": ""}, errors={})


@post("/resend-verification", name="resend_verification_submit")
async def resend_verification_submit(request: AnyRequest, db: AsyncSession) -> Template:
    return await _address_form(request, db, "resend_verification.html", verification.resend,
                               RESENT_VERIFICATION)


# Accepting a staff invitation

@get("/invitation", name="invitation")
async def invitation(request: AnyRequest, db: AsyncSession, token: TokenQuery = "") -> Template:
    async with FormAttempt(db, request_locale(request)) as attempt:
        found = await invitations.by_token(db, token)
    if attempt.errors:
        return notice(request, EXPIRED, N_("Ask the person who invited you to send a new "
                                           "invitation."), status_code=410)
    return page(request, "accept_invitation.html", token=token, email=found.email,
                values={"full_name": ""}, errors={})


@post("/invitation", name="invitation_submit")
async def invitation_submit(request: AnyRequest, db: AsyncSession) -> Template | Redirect:
    form = await request.form()
    token, values = text(form, "token"), {"full_name": text(form, "full_name")}
    async with FormAttempt(db, request_locale(request)) as attempt:
        data = InvitationAccept(token=token, full_name=values["full_name"],
                                password=text(form, "password"))
        await invitations.accept(db, data)
    if not attempt.errors:
        return notice(request, N_("Welcome to Asta"),
                      N_("Your account is ready. Sign in with your e-mail address and the "
                         "password you chose."))
    if "token" in attempt.errors:
        return notice(request, EXPIRED, N_("Ask the person who invited you to send a new "
                                           "invitation."), status_code=410)
    found = await invitations.by_token(db, token)
    return page(request, "accept_invitation.html", token=token, email=found.email,
                values=values, errors=attempt.errors, status_code=422)


HANDLERS = [forgot_password, forgot_password_submit, reset_password, reset_password_submit,
            sign_up, sign_up_submit, verify_email, verify_email_submit, resend_verification,
            resend_verification_submit, invitation, invitation_submit]
