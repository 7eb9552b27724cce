"""What a hit asks of the officer who meets the traveller, and how urgently its owner must
answer. A hit alone is never grounds for arrest: every action says to contact the owner."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    ARREST = "arrest"
    PROTECT = "protect"  # a missing or at-risk person: keep them safe
    LOCATE = "locate"
    REPORT = "report"
    ALERT = "alert"
    APPLY_SANCTIONS = "apply_sanctions"
    SEIZE = "seize"  # a stolen document
    VERIFY_HOLDER = "verify_holder"  # a lost document
    REFUSE = "refuse"  # a revoked or invalidated document
    EXAMINE = "examine"  # a face or print candidate: an examiner must compare first


class Urgency(StrEnum):
    URGENT = "urgent"
    ROUTINE = "routine"


ACTION_TEXT: dict[Action, str] = {
    Action.ARREST: (
        "Wanted for arrest (Red Notice or wanted diffusion): hold the traveller as your law "
        "allows and contact the owning NCB at once; it must confirm the identity before any "
        "arrest."
    ),
    Action.PROTECT: (
        "A missing or at-risk person: keep them safe, do not let them leave with the people "
        "accompanying them, contact child or victim protection and the owning NCB."
    ),
    Action.LOCATE: (
        "Sought to be located: note where the person is going and how to reach them, and tell "
        "the owning NCB; no coercive measure."
    ),
    Action.REPORT: (
        "A known offender or method: apply the controls your law allows and report the "
        "encounter to the owning NCB."
    ),
    Action.ALERT: (
        "An imminent threat: alert the competent authorities at once and contact the owning NCB."
    ),
    Action.APPLY_SANCTIONS: (
        "Under United Nations Security Council sanctions: apply the travel ban or asset freeze "
        "your law gives effect to, and contact the owning NCB."
    ),
    Action.SEIZE: (
        "Reported stolen: hold the document and the traveller for questioning, seize the "
        "document, and contact the owning NCB to confirm the report."
    ),
    Action.VERIFY_HOLDER: (
        "Reported lost: the person presenting it may not be its holder. Verify identity and "
        "contact the owning NCB."
    ),
    Action.REFUSE: (
        "Revoked or invalidated by the issuing state: do not accept it as a travel document, "
        "and contact the owning NCB."
    ),
    Action.EXAMINE: (
        "A biometric candidate: a face or print examiner must compare it before anyone acts."
    ),
}

# What each notice (and diffusion) type asks for.
NOTICE_ACTIONS: dict[str, Action] = {
    "red": Action.ARREST,
    "wanted": Action.ARREST,
    "yellow": Action.PROTECT,
    "missing": Action.PROTECT,
    "blue": Action.LOCATE,
    "information": Action.LOCATE,
    "black": Action.REPORT,
    "green": Action.REPORT,
    "warning": Action.REPORT,
    "purple": Action.REPORT,
    "orange": Action.ALERT,
    "un_special": Action.APPLY_SANCTIONS,
}
_URGENT_NOTICES = frozenset({"red", "wanted", "yellow", "missing", "orange", "un_special"})
# The strongest first: an answer names the action of its most demanding hit.
_ORDER = list(Action)


def for_notice(notice_type: str) -> Action:
    return NOTICE_ACTIONS.get(notice_type, Action.REPORT)


def strongest(actions: list[Action]) -> Action | None:
    return min(actions, key=_ORDER.index) if actions else None


def urgency(notice_types: list[str], category: str | None = None) -> Urgency:
    """Urgent when a notice asks for an arrest, protection or an alert, or the person is at
    risk of being trafficked; routine otherwise (a stolen document alone, a known offender)."""
    if category == "at_risk" or _URGENT_NOTICES.intersection(notice_types):
        return Urgency.URGENT
    return Urgency.ROUTINE
