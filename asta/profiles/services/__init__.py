"""Profile services, split by concern and re-exported here."""

from asta.profiles.services.gdpr import erase_me, erase_me_confirmed, export_my_data
from asta.profiles.services.onboarding import (
    add_onboarding_item,
    get_onboarding_item,
    get_professional_onboarding,
    list_onboarding_items,
    record_onboarding,
    update_onboarding_item,
)
from asta.profiles.services.pool import (
    get_professional,
    may_verify_registration,
    search_professionals,
    verify_registration,
)
from asta.profiles.services.profile import get_my_profile, update_my_profile

__all__ = [
    "add_onboarding_item",
    "erase_me",
    "erase_me_confirmed",
    "export_my_data",
    "get_my_profile",
    "get_onboarding_item",
    "get_professional",
    "get_professional_onboarding",
    "list_onboarding_items",
    "may_verify_registration",
    "record_onboarding",
    "search_professionals",
    "update_my_profile",
    "update_onboarding_item",
    "verify_registration",
]
