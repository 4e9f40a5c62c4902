"""The rule engine: rule sets (levels, vote, quotas, score, checks) and what they say about a
period's facts. Pure Python, standard library only.

Public API::

    load_ruleset(path) / load_ruleset_text(text, source_name) -> RuleSet
    ruleset_to_toml(rs) -> str
    copy_ruleset(rs, new_id, new_name, changes) -> RuleSet
    parameters(rs) -> list[Parameter]
    discover_rulesets(*folders) -> (dict[id, RuleSet], list[RuleSetError])
    eligibility(rs, period, member) / org_eligibility(rs, period, org) -> Eligibility
    vote_outcome(rs, tally, voting) -> VoteOutcome
    validate(rs, period, levels) -> list[Finding]
    propose(rs, period) -> Proposal
    screening_list(rs, period, levels) -> list[MemberFacts]
    quota(rs, period, levels, scope_org_id, kind="member") -> QuotaStatus
"""

from app.domain.rules.adjust import Parameter, adjust_ruleset, copy_ruleset, parameters
from app.domain.rules.discover import discover_rulesets, rulesets_for_year
from app.domain.rules.eligibility import (
    Eligibility,
    eligibility,
    has_months,
    months_complete_on,
    org_eligibility,
)
from app.domain.rules.engine import Proposal, propose, screening_list, validate
from app.domain.rules.errors import RuleSetError, TallyError
from app.domain.rules.facts import (
    CellVoting,
    DisciplineFact,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    Subject,
    VoteTally,
)
from app.domain.rules.findings import Finding
from app.domain.rules.loader import load_ruleset, load_ruleset_text
from app.domain.rules.model import CheckSpec, Level, QuotaRule, RuleSet, Scale
from app.domain.rules.quota import QuotaStatus, quota
from app.domain.rules.registry import REGISTRY, check_label
from app.domain.rules.votes import VoteOutcome, vote_outcome
from app.domain.rules.writer import ruleset_to_toml

__all__ = [
    "REGISTRY",
    "CellVoting",
    "CheckSpec",
    "DisciplineFact",
    "Eligibility",
    "Finding",
    "Level",
    "MemberFacts",
    "OrgFacts",
    "Parameter",
    "PeriodFacts",
    "Proposal",
    "QuotaRule",
    "QuotaStatus",
    "RuleSet",
    "RuleSetError",
    "Scale",
    "Subject",
    "TallyError",
    "VoteOutcome",
    "VoteTally",
    "adjust_ruleset",
    "check_label",
    "copy_ruleset",
    "discover_rulesets",
    "eligibility",
    "has_months",
    "load_ruleset",
    "load_ruleset_text",
    "months_complete_on",
    "org_eligibility",
    "parameters",
    "propose",
    "quota",
    "ruleset_to_toml",
    "rulesets_for_year",
    "screening_list",
    "validate",
    "vote_outcome",
]
