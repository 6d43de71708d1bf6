"""One person's best legal roster by resource-constrained shortest-path labelling (see `person`)."""

from asta.scheduling.solver.labelling.person import EXACT_CAP, Late, Person, Roster, supported

__all__ = ["EXACT_CAP", "Late", "Person", "Roster", "supported"]
