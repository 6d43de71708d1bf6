from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from asta.marketplace.rules import (
    ProfessionalFacts,
    RuleError,
    ShiftRequirements,
    check_eligibility,
)

ON = date(2025, 3, 3)


def doctor(**changes: Any) -> ProfessionalFacts:
    facts = ProfessionalFacts(
        profession="doctor",
        registration_valid_until=None,
        registration_verified=True,
        languages={"fi": "native", "sv": "professional", "en": "fluent"},
        competences={"remote_reception", "acls"},
        competence_expiry={"acls": date(2025, 6, 30), "remote_reception": None},
        specialties={"general_practice"},
        onboarded_unit_ids={"kaiku24"},
    )
    return replace(facts, **changes)


def remote_shift(**changes: Any) -> ShiftRequirements:
    shift = ShiftRequirements(
        unit_id="kaiku24",
        profession="doctor",
        required_languages={"fi": "professional"},
        required_competences={"remote_reception"},
        required_specialties=set(),
        onboarding_required=True,
    )
    return replace(shift, **changes)


@pytest.mark.parametrize(
    ("professional", "shift", "codes"),
    [
        pytest.param(doctor(), remote_shift(), [], id="all-good"),
        pytest.param(doctor(profession="nurse"), remote_shift(), ["wrong_profession"],
                     id="wrong-profession"),
        pytest.param(doctor(registration_verified=False), remote_shift(),
                     ["registration_unverified"], id="unverified"),
        pytest.param(doctor(registration_valid_until=date(2025, 3, 2)), remote_shift(),
                     ["registration_expired"], id="registration-expired"),
        pytest.param(doctor(registration_valid_until=ON), remote_shift(), [],
                     id="registration-valid-through-its-last-day"),
        pytest.param(doctor(), remote_shift(required_languages={"sv": "fluent"}),
                     ["language_level_too_low"], id="swedish-too-weak"),
        pytest.param(doctor(), remote_shift(required_languages={"SV": "basic"}), [],
                     id="language-codes-ignore-case"),
        pytest.param(doctor(), remote_shift(required_languages={"ru": "basic"}),
                     ["missing_language"], id="missing-language"),
        pytest.param(doctor(), remote_shift(required_competences={"ultrasound"}),
                     ["missing_competence"], id="missing-competence"),
        pytest.param(doctor(), remote_shift(required_competences={"acls"}), [],
                     id="certificate-valid"),
        pytest.param(doctor(competence_expiry={"acls": date(2025, 3, 1)}),
                     remote_shift(required_competences={"acls"}),
                     ["certificate_expired"], id="certificate-expired"),
        pytest.param(doctor(), remote_shift(required_specialties={"paediatrics"}),
                     ["missing_specialty"], id="missing-specialty"),
        pytest.param(
            doctor(profession="nurse", registration_verified=False, languages={}),
            remote_shift(),
            ["wrong_profession", "registration_unverified", "missing_language"],
            id="every-reason-listed",
        ),
    ],
)
def test_reasons(professional: ProfessionalFacts, shift: ShiftRequirements,
                 codes: list[str]) -> None:
    result = check_eligibility(professional, shift, on=ON)
    assert [r.code for r in result.reasons] == codes
    assert result.eligible is (not codes)


@pytest.mark.parametrize(
    ("professional", "shift", "eligible", "onboarding_needed", "can_instant_claim"),
    [
        (doctor(), remote_shift(), True, False, True),
        (doctor(onboarded_unit_ids=set()), remote_shift(), True, True, False),
        (doctor(onboarded_unit_ids=set()), remote_shift(onboarding_required=False),
         True, False, True),
        (doctor(profession="nurse", onboarded_unit_ids=set()), remote_shift(),
         False, True, False),
    ],
)
def test_onboarding_is_marked_not_disqualifying(
    professional: ProfessionalFacts, shift: ShiftRequirements,
    eligible: bool, onboarding_needed: bool, can_instant_claim: bool,
) -> None:
    result = check_eligibility(professional, shift, on=ON)
    assert (result.eligible, result.onboarding_needed, result.can_instant_claim) == (
        eligible, onboarding_needed, can_instant_claim,
    )


def test_messages_are_readable() -> None:
    result = check_eligibility(
        doctor(registration_valid_until=date(2025, 1, 31)),
        remote_shift(required_languages={"sv": "fluent"}),
        on=ON,
    )
    assert [r.message for r in result.reasons] == [
        "Your professional registration expired on 2025-01-31",
        "The shift requires sv at fluent level or better; yours is professional",
    ]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: doctor(languages={"fi": "excellent"}), "languages"),
        (lambda: remote_shift(required_languages={"fi": "good"}), "required_languages"),
    ],
)
def test_unknown_language_level(make: Any, field: str) -> None:
    with pytest.raises(RuleError) as err:
        make()
    assert err.value.field == field


def test_a_unit_that_blocked_the_professional_is_refused_whatever_else_fits() -> None:
    verdict = check_eligibility(doctor(blocked_unit_ids={"kaiku24"}), remote_shift(), on=ON)
    assert not verdict.eligible
    assert [r.code for r in verdict.reasons] == ["blocked_by_unit"]
    elsewhere = check_eligibility(doctor(blocked_unit_ids={"other"}), remote_shift(), on=ON)
    assert elsewhere.eligible
