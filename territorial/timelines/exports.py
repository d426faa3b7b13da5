"""The frise as a board: partners by level and by term (pages and documents)."""
from territorial.timelines.figure import Placement, placements
from territorial.timelines.models import TERM_ORDER, PartnerTimeline


def frise_board(timeline: PartnerTimeline, placed: list[Placement] | None = None
                ) -> list[tuple[str, list[list]]]:
    """[(level label, [placements of court, moyen, long])] from a loaded timeline (or its
    ``placements()`` when the page has them already)."""
    placed = placements(timeline) if placed is None else placed
    return [
        (level.label, [[p for p in placed if p.lane == index and p.term == term]
                       for term in TERM_ORDER])
        for index, level in enumerate(timeline.levels)
    ]
