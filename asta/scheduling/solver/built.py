"""A problem's CP-SAT model with every rule applied and the objective set."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from asta.scheduling._model import Model, Penalty
from asta.scheduling.constraints import ALL_RULES
from asta.scheduling.problem import Problem


@dataclass
class Built:
    model: Model
    penalties: list[Penalty]
    constant: int
    terms: list[tuple[str, int, cp_model.LinearExprT]]
    """(goal, weight, expression) of every non-constant, weighted penalty."""

    @property
    def objective(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([w * e for _, w, e in self.terms]) + self.constant


def build(problem: Problem) -> Built:
    model = Model.build(problem)
    penalties: list[Penalty] = []
    for rule in ALL_RULES:
        penalties.extend(rule(model))
    constant = 0
    terms: list[tuple[str, int, cp_model.LinearExprT]] = []
    for p in penalties:
        if p.weight == 0:
            continue
        if isinstance(p.expr, int):
            constant += p.weight * p.expr
        else:
            terms.append((p.goal, p.weight, p.expr))
    built = Built(model, penalties, constant, terms)
    model.cp.minimize(built.objective)
    return built
