"""The identity e-mails in the recipient's language (fi, sv, en). Plain text, one small
template per kind; `{link}` and the other fields are filled in by `render`."""

from __future__ import annotations

from dataclasses import dataclass

LOCALES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


_TEXTS: dict[str, dict[str, Text]] = {
    "password_reset": {
        "en": Text("Reset your Asta password",
                   "Someone asked to reset the password of your Asta account. To choose a new "
                   "password, open this link within an hour:\n\n{link}\n\nThe link works once. "
                   "Choosing a new password signs you out everywhere.\n\nIf you did not ask for "
                   "this, you need not do anything: your password stays as it is."),
        "fi": Text("Asta-salasanan vaihto",
                   "Asta-tilisi salasanan vaihtoa on pyydetty. Valitse uusi salasana avaamalla "
                   "tämä linkki tunnin kuluessa:\n\n{link}\n\nLinkki toimii kerran. Uuden "
                   "salasanan valinta kirjaa sinut ulos kaikkialta.\n\nJos et pyytänyt tätä, "
                   "sinun ei tarvitse tehdä mitään: salasanasi pysyy ennallaan."),
        "sv": Text("Byt ditt lösenord i Asta",
                   "Någon har bett om att byta lösenordet till ditt Asta-konto. Välj ett nytt "
                   "lösenord genom att öppna den här länken inom en timme:\n\n{link}\n\nLänken "
                   "fungerar en gång. Ett nytt lösenord loggar ut dig överallt.\n\nOm du inte "
                   "bad om detta behöver du inte göra något: ditt lösenord förblir oförändrat."),
    },
    "email_verification": {
        "en": Text("Confirm your e-mail address for Asta",
                   "Thank you for joining Asta. Confirm your e-mail address by opening this "
                   "link within two days:\n\n{link}\n\nThen sign in and complete your profile."),
        "fi": Text("Vahvista sähköpostiosoitteesi Astaan",
                   "Kiitos, että liityit Astaan. Vahvista sähköpostiosoitteesi avaamalla tämä "
                   "linkki kahden päivän kuluessa:\n\n{link}\n\nKirjaudu sitten sisään ja "
                   "täydennä profiilisi."),
        "sv": Text("Bekräfta din e-postadress för Asta",
                   "Tack för att du gick med i Asta. Bekräfta din e-postadress genom att öppna "
                   "den här länken inom två dagar:\n\n{link}\n\nLogga sedan in och fyll i din "
                   "profil."),
    },
    "sign_up_attempt": {
        "en": Text("Someone tried to create an Asta account with your address",
                   "Someone tried to create a new Asta account with this e-mail address, which "
                   "already has one. If it was you, sign in instead. If you have forgotten "
                   "your password, choose a new one within an hour here:\n\n{link}\n\nIf it "
                   "was not you, you need not do anything."),
        "fi": Text("Sähköpostiosoitteellasi yritettiin luoda Asta-tili",
                   "Tällä sähköpostiosoitteella yritettiin luoda uusi Asta-tili, mutta "
                   "osoitteella on jo tili. Jos se olit sinä, kirjaudu sisään. Jos olet "
                   "unohtanut salasanasi, valitse uusi tunnin kuluessa tästä:\n\n{link}\n\n"
                   "Jos se et ollut sinä, sinun ei tarvitse tehdä mitään."),
        "sv": Text("Någon försökte skapa ett Asta-konto med din adress",
                   "Någon försökte skapa ett nytt Asta-konto med den här e-postadressen, som "
                   "redan har ett konto. Om det var du, logga in i stället. Om du har glömt "
                   "ditt lösenord kan du välja ett nytt inom en timme här:\n\n{link}\n\nOm det "
                   "inte var du behöver du inte göra något."),
    },
    "invitation": {
        "en": Text("You are invited to {area} in Asta",
                   "{inviter} invites you to join {area} in Asta as {role}. To accept, open "
                   "this link within seven days, then give your name and choose a password:"
                   "\n\n{link}\n\nIf you did not expect this, you need not do anything."),
        "fi": Text("Sinut on kutsuttu Astaan: {area}",
                   "{inviter} kutsuu sinut Astaan alueelle {area} rooliin {role}. Hyväksy "
                   "kutsu avaamalla tämä linkki seitsemän päivän kuluessa ja anna nimesi ja "
                   "salasana:\n\n{link}\n\nJos et odottanut tätä, sinun ei tarvitse tehdä "
                   "mitään."),
        "sv": Text("Du är inbjuden till {area} i Asta",
                   "{inviter} bjuder in dig till {area} i Asta som {role}. Tacka ja genom att "
                   "öppna den här länken inom sju dagar och ange ditt namn och ett lösenord:"
                   "\n\n{link}\n\nOm du inte väntade dig detta behöver du inte göra något."),
    },
}

ROLE_NAMES: dict[str, dict[str, str]] = {
    "scheduler": {"en": "scheduler", "fi": "vuorosuunnittelija", "sv": "schemaläggare"},
    "area_admin": {"en": "area admin", "fi": "alueen pääkäyttäjä",
                   "sv": "områdets huvudanvändare"},
}


def render(kind: str, locale: str, **fields: str) -> Text:
    texts = _TEXTS[kind]
    text = texts.get(locale, texts["en"])
    return Text(text.subject.format(**fields), text.body.format(**fields))


def role_name(role: str, locale: str) -> str:
    names = ROLE_NAMES[role]
    return names.get(locale, names["en"])
