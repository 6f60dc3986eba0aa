"""How the editable tables' columns look and what they accept (labels, choices, limits)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from gcm_guide.content import Content
from gcm_guide.models import (
    ACTIVITY_STATUSES,
    ENGAGEMENT_STATUSES,
    GOVERNMENT_LEVELS,
    MAX_LONG_TEXT,
    MAX_NAME,
    SETUP_ROLES,
)
from gcm_guide.progress import voice_label
from gcm_guide.web.text import name_of
from gcm_guide.web.text import t_plain as t


def stakeholder_columns(content: Content, voice_options: Sequence[str]) -> dict[str, Any]:
    """Columns of the stakeholder register."""
    groups = content.group_names
    return {
        "name": st.column_config.TextColumn(t("fields.name"), required=True, max_chars=MAX_NAME),
        "group_id": st.column_config.SelectboxColumn(
            t("fields.group_id"), options=list(groups), format_func=name_of(groups), required=True, width="medium"
        ),
        # "" is "not a government actor / not set": shown as a dash, saved as no level.
        "government_level": st.column_config.SelectboxColumn(
            t("fields.government_level"),
            options=["", *GOVERNMENT_LEVELS],
            format_func=lambda v: t(f"levels.{v}") if v else t("common.none"),
        ),
        "sector": st.column_config.TextColumn(t("fields.sector"), max_chars=MAX_NAME),
        **{
            score: st.column_config.NumberColumn(t(f"fields.{score}"), min_value=1, max_value=5, step=1, format="%d")
            for score in ("affected", "influence", "interest")
        },
        "voices": st.column_config.MultiselectColumn(
            t("fields.voices"),
            options=list(voice_options),
            accept_new_options=True,
            format_func=lambda v: voice_label(v, content),
        ),
        "engagement_status": st.column_config.SelectboxColumn(
            t("fields.engagement_status"),
            options=ENGAGEMENT_STATUSES,
            format_func=lambda v: t(f"status.{v}"),
            required=True,
            default="identified",
        ),
        # The team's own judgement, for government bodies: which could lead GCM implementation (Action 3).
        "lead_candidate": st.column_config.SelectboxColumn(
            t("fields.lead_candidate"),
            options=["", *content.lead_candidate_names],
            format_func=lambda v: content.lead_candidate_names.get(str(v), t("common.none")) if v else t("common.none"),
            help=t("stakeholders.lead_candidate_help"),
        ),
    }


def activity_columns(content: Content) -> dict[str, Any]:
    """Columns of the awareness-raising plan."""
    audiences, types = content.audience_names, content.activity_type_names
    return {
        "title": st.column_config.TextColumn(t("fields.title"), required=True, max_chars=MAX_NAME),
        "audience": st.column_config.SelectboxColumn(
            t("fields.audience"), options=list(audiences), format_func=name_of(audiences), required=True
        ),
        "activity_type": st.column_config.SelectboxColumn(
            t("fields.activity_type"), options=list(types), format_func=name_of(types), required=True
        ),
        "objective": st.column_config.TextColumn(t("fields.objective"), max_chars=MAX_LONG_TEXT, width="large"),
        "starts_on": st.column_config.DateColumn(t("fields.starts_on"), format="YYYY-MM-DD"),
        "ends_on": st.column_config.DateColumn(t("fields.ends_on"), format="YYYY-MM-DD"),
        "timing_note": st.column_config.TextColumn(t("fields.timing_note"), max_chars=MAX_NAME),
        "lead": st.column_config.TextColumn(t("fields.lead"), max_chars=MAX_NAME),
        "status": st.column_config.SelectboxColumn(
            t("fields.status"),
            options=ACTIVITY_STATUSES,
            required=True,
            default="planned",
            format_func=lambda v: t(f"activity_status.{v}"),
        ),
    }


def role_columns() -> dict[str, Any]:
    """Columns of the set-up's roles, responsibilities and reporting table."""
    return {
        "body": st.column_config.TextColumn(t("fields.body"), required=True, max_chars=MAX_NAME, width="medium"),
        "role": st.column_config.SelectboxColumn(
            t("fields.role"),
            options=SETUP_ROLES,
            required=True,
            default="member",
            format_func=lambda v: t(f"roles.{v}"),
        ),
        "responsibilities": st.column_config.TextColumn(
            t("fields.responsibilities"), max_chars=MAX_LONG_TEXT, width="large"
        ),
        "reports_to": st.column_config.TextColumn(t("fields.reports_to"), max_chars=MAX_NAME),
        "reporting_duties": st.column_config.TextColumn(
            t("fields.reporting_duties"), max_chars=MAX_LONG_TEXT, width="medium"
        ),
    }
