"""What a phone that took part sees once the session is closed: what was said, what was
retained, its own contributions and the group's next session."""
from __future__ import annotations

from dataclasses import dataclass, field

from facilitation.sessions.live import minutes, votes
from facilitation.sessions.live.models import Attendee, Contribution
from facilitation.sessions.live.queries import load_board, participant_cards
from facilitation.sessions.models import Meeting


@dataclass
class Recap:
    session: Meeting
    said: list[tuple[str, list[Contribution]]] = field(default_factory=list)
    retained: list[Contribution] = field(default_factory=list)
    voted: list[tuple[Contribution, int]] = field(default_factory=list)
    own: list[Contribution] = field(default_factory=list)
    next_session: Meeting | None = None

    @property
    def next_when(self) -> str:
        return minutes.when(self.next_session) if self.next_session else ""


def recap(session: Meeting, attendee: Attendee) -> Recap:
    """The recap for ``attendee``: the board as shown to the room (hidden cards left out),
    the cards that became actions or were highlighted, the first of the last vote."""
    board = load_board(session, include_hidden=False)
    said = [(column.label, [card.contribution for group in column.groups
                            for card in group.cards])
            for column in board.columns if column.count]
    closed = [vote for vote in votes.votes_of(session) if not vote.is_open]
    voted = []
    if closed:
        result = votes.results(closed[0])
        voted = [(row.card, row.dots) for row in result.rows if row.rank == 1 and row.dots]
    first = {card.id for card, _dots in voted}
    actions = votes.action_links(list(board.cards))
    retained = [card.contribution for card in board.cards.values()  # the first said once
                if (card.contribution.id in actions or card.contribution.highlighted)
                and card.contribution.id not in first]
    own = participant_cards(session, attendee)
    return Recap(session=session, said=said, retained=retained, voted=voted, own=own,
                 next_session=minutes.next_session(session))
