"""Review reminders: the checklist items and stakeholder engagements whose next review date has come."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gcm_guide.content import Content
from gcm_guide.workspace_data import WorkspaceData


@dataclass(frozen=True)
class DueReview:
    """Something to look at again: a checklist item (key: its id) or a stakeholder's engagement (key: its id)."""

    kind: str  # "checklist" | "stakeholder"
    key: str
    label: str
    due: dt.date
    page: str  # the page where it is reviewed


def due_reviews(data: WorkspaceData, content: Content, today: dt.date) -> list[DueReview]:
    """What is due for review on `today` or earlier, the longest overdue first."""
    items = {item.id: item for item in content.checklist.items}
    due = [
        DueReview("checklist", item_id, items[item_id].text, entry.next_review_on, "checklist")
        for item_id, entry in data.checklist.items()
        if entry.next_review_on is not None and entry.next_review_on <= today and item_id in items
    ]
    due += [
        DueReview("stakeholder", str(person.id), person.name, person.next_review_on, "engagement")
        for person in data.stakeholders
        if person.next_review_on is not None and person.next_review_on <= today
    ]
    return sorted(due, key=lambda review: (review.due, review.kind, review.label.casefold()))
