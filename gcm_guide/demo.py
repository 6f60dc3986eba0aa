"""A realistic example workspace, for screenshots, benchmarks and trying the app out.

`python -m gcm_guide.demo ["Name"] [--stakeholders N] [--passcode TEXT] [--url URL]` adds one to the configured
database and prints the address that opens it and its passcode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
from collections.abc import Sequence

from sqlalchemy import Engine
from sqlmodel import Session

from gcm_guide import access, db, store
from gcm_guide.content import load_content
from gcm_guide.models import MAX_STAKEHOLDERS, Workspace, stored_id

ANSWERS = {
    "government_bodies": (
        "Ministry of Foreign Affairs and Foreign Trade (diaspora and consular affairs); Ministry of National "
        "Security; Passport, Immigration and Citizenship Agency; Ministry of Labour and Social Security; "
        "Planning Institute; Statistical Institute."
    ),
    "policy_sectors": "Labour, health, education, social protection, justice, border management, agriculture.",
    "departments_and_levels": (
        "National ministries hold most responsibility; parish councils deliver services; the regional "
        "community (CARICOM) sets free-movement rules."
    ),
    "non_governmental_bodies": "Migrant and diaspora associations, trade unions, faith groups, IOM and UNHCR offices.",
}

STAKEHOLDERS = [
    ("Ministry of Labour and Social Security", "policy_sectors", "national", "Labour", 4, 5, 5, []),
    ("Ministry of Health and Wellness", "policy_sectors", "national", "Health", 4, 4, 3, []),
    ("Passport, Immigration and Citizenship Agency", "policy_sectors", "national", "Border management", 5, 5, 4, []),
    ("Planning Institute of Jamaica", "policy_sectors", "national", "Development planning", 2, 4, 5, []),
    (
        "Kingston and St Andrew Municipal Corporation",
        "local_and_regional_authorities",
        "local",
        "Services",
        4,
        3,
        4,
        [],
    ),
    ("Returning Residents Association", "diasporas", None, "", 3, 2, 5, ["migrants_themselves"]),
    ("Women Migrant Workers Network", "civil_society_organizations", None, "", 5, 2, 5, ["migrant_women"]),
    ("Office of the Public Defender", "national_human_rights_institutions", None, "Rights", 2, 3, 4, []),
    ("Jamaica Employers' Federation", "private_sector", None, "Employment", 2, 4, 3, []),
    ("University of the West Indies, migration unit", "academia", None, "Research", 1, 2, 4, []),
    ("Bustamante Industrial Trade Union", "trade_unions", None, "Labour", 3, 3, 4, ["undocumented_migrants"]),
    ("Youth Advocacy Network", "children_and_young_people", None, "", 4, 1, 4, ["children_and_young_people"]),
    ("UN Network on Migration, country team", "un_network_on_migration", None, "", 1, 3, 5, []),
]


def add_demo_workspace(
    engine: Engine,
    name: str,
    stakeholders: int = len(STAKEHOLDERS),
    seed: int = 7,
    *,
    passcode: str | None = None,
) -> Workspace:
    """Create a filled-in workspace with `stakeholders` stakeholders (the named ones first, then generated),
    opened with `passcode` when one is given (without one, its first visitor sets one)."""
    content = load_content()
    rng = random.Random(seed)  # noqa: S311 - repeatable example data, not security
    data = {"name": name, "country": "Jamaica"}
    if passcode is None:
        workspace = db.run_write(engine, store.create_workspace, data=data)
    else:
        workspace = db.run_write(engine, access.create_protected_workspace, data=data, passcode=passcode)
    groups = [g.id for g in content.action1.stakeholder_groups]
    voices = list(content.voice_names)
    mechanisms, mediums, phases = list(content.mechanism_names), list(content.medium_names), list(content.phase_names)

    workspace_id = stored_id(workspace)

    def fill(*, session: Session) -> None:
        for question_id, text in ANSWERS.items():
            store.save_answer(
                session=session, workspace_id=workspace_id, question_id=question_id, changes={"text": text}
            )
        for index in range(stakeholders):
            if index < len(STAKEHOLDERS):
                name_, group, level, sector, affected, influence, interest, carried = STAKEHOLDERS[index]
            else:
                group = rng.choice(groups)
                name_ = f"{content.group_names[group]} — member {index + 1}"
                level, sector = rng.choice([None, "local", "national"]), ""
                affected, influence, interest = (rng.randint(1, 5) for _ in range(3))
                carried = rng.sample(voices, k=rng.choice([0, 0, 1, 2]))
            person = store.add_stakeholder(
                session=session,
                workspace_id=workspace_id,
                data={
                    "name": name_,
                    "group_id": group,
                    "government_level": level,
                    "sector": sector,
                    "affected": affected,
                    "influence": influence,
                    "interest": interest,
                    "voices": carried,
                    "engagement_status": rng.choice(["identified", "contacted", "engaged", "partner"]),
                    "role_and_interest": "Shapes how migrants reach services and decent work." if index % 2 else "",
                    "lead_candidate": "migration_ministry" if name_.startswith("Passport, Immigration") else None,
                },
            )
            if index % 3 != 2:
                store.save_engagement_plan(
                    session=session,
                    workspace_id=workspace_id,
                    stakeholder_id=stored_id(person),
                    changes={
                        "participation_level": rng.choice(["inform", "consult", "involve", "collaborate"]),
                        "mechanisms": rng.sample(mechanisms, k=2),
                        "mediums": rng.sample(mediums, k=1),
                        "phases": rng.sample(phases, k=2),
                    },
                )
        for criterion, changes in (
            ("existing_body", {"answer": "partly"}),
            (
                "interagency_working_group",
                {
                    "answer": "yes",
                    "body": "Planning Institute of Jamaica",
                    "note": "National Working Group on International Migration and Development (NWGIMD)",
                },
            ),
            ("relationships_and_convening_power", {"answer": "yes"}),
            ("fragmentation", {"answer": "moderate"}),
        ):
            store.save_setup_answer(session=session, workspace_id=workspace_id, criterion_id=criterion, changes=changes)
        start = dt.date(2027, 2, 1)
        for offset, (title, audience, kind) in enumerate(
            [
                ("Briefing for line ministries", "government", "briefings"),
                ("Civil society information sessions", "other_stakeholders", "collaborating_with_csos"),
                ("Radio spots on migrants' rights", "public", "traditional_media"),
            ]
        ):
            store.add_activity(
                session=session,
                workspace_id=workspace_id,
                data={
                    "title": title,
                    "audience": audience,
                    "activity_type": kind,
                    "starts_on": start + dt.timedelta(days=30 * offset),
                    "ends_on": start + dt.timedelta(days=30 * offset + 14),
                    "status": "done" if offset == 0 else "planned",
                },
            )

    db.run_write(engine, fill)
    return workspace


def main(argv: Sequence[str] | None = None) -> int:
    from gcm_guide.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m gcm_guide.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", default="Demo workspace", help="the workspace's name")
    parser.add_argument("--stakeholders", type=int, default=len(STAKEHOLDERS), help="how many (at most 5,000)")
    parser.add_argument(
        "--passcode",
        help=f"the passcode that opens it (at least {access.MIN_PASSCODE} characters; "
        "made up and printed when left out)",
    )
    parser.add_argument("--url", help="the app's address (default: GCM_PUBLIC_URL, else http://localhost:8501)")
    arguments = parser.parse_args(argv)
    settings = get_settings()
    passcode = arguments.passcode or f"demo-{secrets.token_hex(4)}"
    if not access.MIN_PASSCODE <= len(passcode) <= access.MAX_PASSCODE:
        parser.error(f"the passcode needs {access.MIN_PASSCODE} to {access.MAX_PASSCODE} characters")
    if not 0 <= arguments.stakeholders <= MAX_STAKEHOLDERS:
        parser.error(f"--stakeholders must be between 0 and {MAX_STAKEHOLDERS:,}")
    engine = db.open_database(settings.resolved_database_url)
    try:
        made = add_demo_workspace(engine, arguments.name, arguments.stakeholders, passcode=passcode)
    finally:
        engine.dispose()
    base = (arguments.url or settings.gcm_public_url or "http://localhost:8501").rstrip("/")
    count = f"{arguments.stakeholders:,} stakeholder{'' if arguments.stakeholders == 1 else 's'}"
    print(f"Created the workspace {made.name!r} with {count}.")
    print(f"Open it at {base}/guiding-questions?ws={made.public_id}")
    print(f"Passcode: {passcode}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
