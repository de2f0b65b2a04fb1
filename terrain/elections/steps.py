"""The usual steps of a professional election, placed from the vote date.

The offsets below are TYPICAL values, for a first calendar to edit: the law sets
minimums (the staff informed at least every four years and the first round within 90
days of that information; unions invited to negotiate the pre-electoral protocol at
least 15 days before the first meeting and, in the private sector, two months before
the current mandates end; a second round within 15 days when the quorum is not
reached), the pre-electoral protocol signed on site sets the rest, and it prevails.
Nothing here is legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StepKind:
    key: str
    label: str
    #: Days from the first round (negative: before it), or from the second round when ``from_second_round``.
    offset: int
    from_second_round: bool = False
    #: The vote itself: its officials are also reminded on the day.
    is_vote: bool = False


# key, label, typical offset in days. Edit the dates of an election on its page, never here.
STEP_KINDS: tuple[StepKind, ...] = (
    # L2314-4: the employer informs the staff; the first round comes within 90 days after.
    StepKind("staff_information", _("The employer informs the staff of the election"), -90),
    # Unions invited at least 15 days before the first negotiation meeting (and two months before mandates end).
    StepKind("union_invitation", _("Unions invited to negotiate the pre-electoral protocol"), -75),
    StepKind("first_meeting", _("First meeting on the pre-electoral protocol"), -60),
    StepKind("protocol_signature", _("Pre-electoral protocol signed"), -45),
    # The protocol sets the deadline for lists; a few weeks before the vote is usual.
    StepKind("lists_filing", _("Candidate lists filed"), -25),
    StepKind("lists_posting", _("Candidate lists posted"), -15),
    StepKind("first_round", _("First round"), 0, is_vote=True),
    # Within 15 days of the first round when the quorum is not reached.
    StepKind("second_round", _("Second round (if the quorum is not reached)"), 0, from_second_round=True, is_vote=True),
    StepKind("results", _("Results proclaimed and minutes (procès-verbal) drawn up"), 1),
    # The minutes go to the employer, the unions and the administration's processing centre.
    StepKind("minutes_sent", _("Minutes sent"), 15, from_second_round=True),
)
KINDS = {kind.key: kind for kind in STEP_KINDS}
#: A second round comes within 15 days of the first: its typical date when none is given.
SECOND_ROUND_DAYS = 15


def second_round_of(vote_date: date, second_round_date: date | None) -> date:
    return second_round_date or vote_date + timedelta(days=SECOND_ROUND_DAYS)


def step_dates(vote_date: date, second_round_date: date | None = None) -> list[tuple[StepKind, date]]:
    """Every usual step with its typical date, in the order of the table."""
    second = second_round_of(vote_date, second_round_date)
    return [
        (kind, (second if kind.from_second_round else vote_date) + timedelta(days=kind.offset)) for kind in STEP_KINDS
    ]


def countdown(day: date, today: date) -> str:
    """ "J-12", "J" on the day, "J+3" after."""
    days = (day - today).days
    if days == 0:
        return "J"
    return f"J-{days}" if days > 0 else f"J+{-days}"
