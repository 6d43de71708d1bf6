"""Display names (msgids) for the codes the domain stores."""

from __future__ import annotations

from asta.web.i18n import N_

PROFESSION_LABELS = {
    "doctor": N_("Doctor"),
    "nurse": N_("Nurse"),
    "public_health_nurse": N_("Public health nurse"),
    "physiotherapist": N_("Physiotherapist"),
    "psychotherapist": N_("Psychotherapist"),
    "occupational_therapist": N_("Occupational therapist"),
    "psychologist": N_("Psychologist"),
    "midwife": N_("Midwife"),
    "paramedic": N_("Paramedic"),
}
LEVEL_LABELS = {
    "basic": N_("Basic"),
    "professional": N_("Professional"),
    "fluent": N_("Fluent"),
    "native": N_("Native"),
}
TIME_LABELS = {
    "morning": N_("Morning"),
    "day": N_("Day"),
    "evening": N_("Evening"),
    "night": N_("Night"),
}
REGISTRATION_LABELS = {
    "unverified": N_("Not yet verified"),
    "verified": N_("Verified"),
    "rejected": N_("Rejected"),
}
ROLE_LABELS = {
    "professional": N_("Professional"),
    "scheduler": N_("Scheduler"),
    "area_admin": N_("Area administrator"),
    "platform_operator": N_("Platform operator"),
}
CLAIM_MODE_LABELS = {
    "instant": N_("Claimed at once"),
    "request": N_("Claims approved by a scheduler"),
}
ALL = {"profession": PROFESSION_LABELS, "level": LEVEL_LABELS, "time": TIME_LABELS,
       "registration": REGISTRATION_LABELS, "role": ROLE_LABELS, "claim_mode": CLAIM_MODE_LABELS}
# Languages offered in forms; any ISO 639-1 code is accepted by the API.
LANGUAGE_CODES = ("fi", "sv", "en", "se", "ru", "et", "ar", "so", "de", "fr", "es", "uk")
VISIBILITY_LABELS = {
    "unit": N_("Professionals onboarded to the unit"),
    "area": N_("Professionals of the wellbeing area"),
    "national": N_("The whole national pool"),
}
ALL["visibility"] = VISIBILITY_LABELS
INVOICE_STATUS_LABELS = {
    "pending": N_("Being prepared"),
    "open": N_("Sent, unpaid"),
    "paid": N_("Paid"),
    "void": N_("Cancelled"),
}
ALL["invoice_status"] = INVOICE_STATUS_LABELS
SPECIALTY_LABELS = {
    "general_practice": N_("General practice"),
    "emergency_medicine": N_("Emergency medicine"),
    "internal_medicine": N_("Internal medicine"),
    "paediatrics": N_("Paediatrics"),
    "psychiatry": N_("Psychiatry"),
    "geriatrics": N_("Geriatrics"),
    "occupational_health": N_("Occupational health"),
    "gynaecology": N_("Gynaecology"),
}
COMPETENCE_LABELS = {
    "remote_consultation": N_("Remote consultation"),
    "video_consultation": N_("Video consultation"),
    "triage": N_("Triage"),
    "e_prescription": N_("E-prescription"),
    "mental_health_first_aid": N_("Mental health first aid"),
    "als": N_("Advanced life support"),
    "ecg_interpretation": N_("ECG interpretation"),
    "wound_care": N_("Wound care"),
}
ALL["specialty"], ALL["competence"] = SPECIALTY_LABELS, COMPETENCE_LABELS
