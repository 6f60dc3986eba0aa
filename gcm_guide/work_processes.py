"""Drafts of the work processes the guidance asks a team to agree once the set-up is chosen:
terms of reference, a work plan, and roles, responsibilities and reporting duties.

The templates are in data/content/<lang>/work_processes.yaml; these functions fill them from the workspace.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator
from typing import Any

from gcm_guide import checklist, recommender
from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, Content, ContentError, content_file, load_content, read_yaml
from gcm_guide.i18n import get_language
from gcm_guide.models import MAX_NAME, name_key
from gcm_guide.recommender import Recommendation, StakeholderLike
from gcm_guide.workspace_data import WorkspaceData


@functools.cache
def load_templates(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    path = content_file("work_processes.yaml", language, DATA_DIR)
    templates: dict[str, Any] = read_yaml(path)
    for key in ("draft_marker", "terms_of_reference", "work_plan", "roles"):
        if not isinstance(templates, dict) or key not in templates:
            raise ContentError(f"{path}: missing {key!r}")
    return templates


def _chosen_option(data: WorkspaceData, recommendation: Recommendation) -> str | None:
    return (data.decision.chosen_option if data.decision else None) or recommendation.option


def _leads(data: WorkspaceData, recommendation: Recommendation) -> list[str]:
    typed = data.decision.lead_bodies.strip() if data.decision else ""
    if typed:
        return recommender.listed_items(typed) or [typed]
    return [lead.name for lead in recommendation.lead_bodies[:1]]


def draft_terms_of_reference(
    data: WorkspaceData, content: Content, recommendation: Recommendation, language: str | None = None
) -> str:
    """A draft terms of reference from the chosen (or recommended) set-up and the register."""
    language = language or get_language()
    templates = load_templates(language)
    tor = templates["terms_of_reference"]
    nobody = tor["nobody"]
    option = _chosen_option(data, recommendation)
    leads = _leads(data, recommendation)
    government = {s.name for s in recommender.government_stakeholders(data.stakeholders, content)}
    lead_keys = {name_key(lead) for lead in leads}
    members = [name for name in sorted(government) if name_key(name) not in lead_keys]
    others = sorted({content.group_names[s.group_id] for s in data.stakeholders if s.name not in government})
    reporting = [f"{role.body}: {role.reporting_duties}" for role in data.roles if role.reporting_duties.strip()]
    values = {
        "workspace": data.workspace.name,
        "country": data.workspace.country or tor["country_unknown"],
        "option": content.option_names.get(option, nobody) if option else nobody,
        "leads": ", ".join(leads) or nobody,
        "members": ", ".join(members) or nobody,
        "others": ", ".join(others) or nobody,
        "reporting": "; ".join(reporting) or nobody,
    }
    lines = [templates["draft_marker"], "", tor["title"].format(**values), ""]
    for section in tor["sections"]:
        lines += [section["heading"], section["text"].format(**values), ""]
    return "\n".join(lines).strip()


def draft_work_plan(data: WorkspaceData, content: Content, language: str | None = None) -> str:
    """A draft work plan: the open checklist items, then the awareness activities with their dates."""
    language = language or get_language()
    templates = load_templates(language)
    plan = templates["work_plan"]
    from gcm_guide.i18n import t  # the status words are interface strings

    lines = [templates["draft_marker"], "", plan["title"], ""]
    for step in plan["steps"]:
        lines.append(f"- {step}")
    statuses = {s.item_id: s.status for s in checklist.checklist_status(data, content)}
    for item in content.checklist.items:
        if statuses[item.id] != "done":
            lines.append(f"- {item.text} ({t(f'checklist_status.{statuses[item.id]}')})")
    active = [a for a in data.activities if a.status != "cancelled"]
    for activity in sorted(active, key=lambda a: (a.starts_on is None, a.starts_on or dt.date.max)):
        when = activity.starts_on.isoformat() if activity.starts_on else (activity.timing_note or plan["no_date"])
        lines.append(
            plan["item"].format(what=activity.title, when=when, status=t(f"activity_status.{activity.status}"))
        )
    return "\n".join(lines)


def _new_role_bodies(
    data: WorkspaceData, recommendation: Recommendation, content: Content
) -> Iterator[tuple[str, str, StakeholderLike | None]]:
    """The bodies to suggest for the roles table, in order: the leads ("lead", then "co_lead"), then the
    government stakeholders ("member", with their register entry). A body already in the table, in any case,
    is left out, and so is a second mention; a lead typed as a long sentence is cut to fit the table."""
    already = {role.body.casefold() for role in data.roles}
    leads = [
        (body, "lead" if index == 0 else "co_lead", None) for index, body in enumerate(_leads(data, recommendation))
    ]
    members = (
        (person.name, "member", person) for person in recommender.government_stakeholders(data.stakeholders, content)
    )
    for body, role, person in itertools.chain(leads, members):
        body = body[:MAX_NAME]
        if body and body.casefold() not in already:
            already.add(body.casefold())
            yield body, role, person


def has_suggested_roles(data: WorkspaceData, recommendation: Recommendation, language: str | None = None) -> bool:
    """Whether `suggested_roles` has a row to add. Cheap enough for every run: it stops at the first body found
    and writes no row out."""
    content = load_content(language or get_language())
    return next(_new_role_bodies(data, recommendation, content), None) is not None


def suggested_roles(
    data: WorkspaceData, recommendation: Recommendation, language: str | None = None
) -> list[dict[str, str]]:
    """Rows for the roles table from the lead bodies and the government stakeholders not yet in it."""
    language = language or get_language()
    templates = load_templates(language)["roles"]
    rubric = recommender.load_rubric(language)
    leads = _leads(data, recommendation)
    reports_to_lead = templates["reports_to_lead"].format(lead=leads[0]) if leads else ""
    rows: list[dict[str, str]] = []
    for body, role, person in _new_role_bodies(data, recommendation, load_content(language)):
        if person is None:
            responsibilities, reports_to = templates[role], templates["reports_to_government"]
        else:
            is_statistics = person.lead_candidate == "statistics" or any(
                word in person.name.casefold() for word in rubric.statistics_words
            )
            responsibilities, reports_to = templates["statistics" if is_statistics else "member"], reports_to_lead
        rows.append(
            {
                "body": body,
                "role": role,
                "responsibilities": responsibilities,
                "reports_to": reports_to,
                "reporting_duties": "",
            }
        )
    return rows
