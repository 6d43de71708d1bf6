"""The demo's own texts (area, unit and onboarding-step names, unit descriptions), shown in
the viewer's language.

Localised when a page is rendered, not stored translated: the rows keep one name, as a
customer's do, and only a server that runs the demo (ASTA_DEMO_TEXTS=1, set by `asta demo`)
translates these exact texts. A customer's own names are their text and never rewritten,
even if one happens to match.
"""

from __future__ import annotations

from typing import Any

from asta.core.config import get_settings
from asta.web.i18n import N_, gettext

DEMO_TEXTS = frozenset({
    N_("Kymenlaakso wellbeing services county"),
    N_("Ostrobothnia wellbeing services county"),
    N_("Kaiku24 remote reception"),
    N_("Kaiku24 remote consultation"),
    N_("Vaasa bilingual remote reception"),
    N_("Jakobstad digital health centre"),
    N_("Front-line remote reception of the Kaiku24 contact centre: assess, treat and refer "
       "patients by phone and video."),
    N_("Remote consultation for nurses of the Kaiku24 contact centre."),
    N_("Remote reception in Finnish and Swedish for Ostrobothnia."),
    N_("Digital health centre serving mainly Swedish-speaking patients."),
    N_("Patient information systems access"),
    N_("Kaiku24 triage protocol"),
    N_("Remote prescription practice"),
    N_("Consultation workflow"),
    N_("Systems access"),
    N_("Bilingual service guidelines"),
    N_("Local referral pathways"),
})


def own_text(locale: str, value: Any) -> Any:
    """A demo name in `locale`; any other value as it is."""
    if type(value) is str and value in DEMO_TEXTS and get_settings().demo_texts:
        return gettext(locale, value)
    return value
