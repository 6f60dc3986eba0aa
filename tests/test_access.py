"""Who may open a workspace (gcm_guide.access): Argon2id passcode hashes, the throttle on wrong passcodes (also
under concurrent attempts), workspaces made before passcodes, OIDC owners — on real SQLite and PostgreSQL — and
the lock in front of every workspace page, run through the real app with AppTest."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from gcm_guide import access, backup, db, exports, participants, report, store, workshop
from gcm_guide.content import load_content
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import PasscodeAttempt, Workspace
from gcm_guide.navigation import PAGES
from gcm_guide.web import language

from .conftest import APP, OWNER_GRANTS, add_stakeholder, load, make_workspace, open_page
from .test_pages import texts, unescaped

PASSCODE = "correct horse battery staple"
WRONG = "not the passcode at all"
T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
WORKSPACE_PAGES = [spec.file for spec in PAGES if spec.needs_workspace]

# What a locked workspace holds; none of it may reach a session without the passcode.
SECRET_STAKEHOLDER = "Zephyrine Harbour Council"
SECRET_ANSWER = "Quokka protocol with the labour inspectorate"
SECRET_ACTIVITY = "Marmoset briefing for line ministries"
SECRET_ROLE = "Okapi Coordination Authority"
SECRETS = (SECRET_STAKEHOLDER, SECRET_ANSWER, SECRET_ACTIVITY, SECRET_ROLE)


def codes(error: InputError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def protected(engine, name: str = "Kick-off Kingston", passcode: str = PASSCODE, **fields) -> Workspace:
    data = {"name": name, "country": "Jamaica", "level": "national"} | fields
    return db.run_write(engine, access.create_protected_workspace, data=data, passcode=passcode)


def attempt(engine, workspace: Workspace, passcode: str, now: dt.datetime | None = None) -> access.Attempt:
    return db.run_write(engine, access.try_passcode, public_id=workspace.public_id, passcode=passcode, now=now)


def stored(engine, workspace_id: int) -> Workspace:
    return db.run_read(engine, lambda session: session.get(Workspace, workspace_id))


@dataclass(frozen=True)
class Counted:
    failed_attempts: int
    locked_until: dt.datetime | None


def counted(engine, workspace_id: int, client: str = "") -> Counted:
    """The wrong attempts counted for one client of a workspace (nothing counted: 0 and None)."""

    def read(session):
        row = session.exec(
            select(PasscodeAttempt).where(
                PasscodeAttempt.workspace_id == workspace_id, PasscodeAttempt.client == client
            )
        ).first()
        return Counted(row.failures, row.locked_until) if row else Counted(0, None)

    return db.run_read(engine, read)


@pytest.fixture
def checks(monkeypatch):
    """Count the passcode checks try_passcode really makes (the real Argon2 verification still runs)."""
    calls: list[str] = []
    lock = threading.Lock()
    real = access._matches

    def counting(stored_hash: str, passcode: str) -> bool:
        with lock:
            calls.append(passcode)
        return real(stored_hash, passcode)

    monkeypatch.setattr(access, "_matches", counting)
    return calls


# --- Hashes ---------------------------------------------------------------------------------------------------
def test_passcodes_are_hashed_with_salted_argon2id():
    first, second = access.hash_passcode(PASSCODE), access.hash_passcode(PASSCODE)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert PASSCODE not in first
    assert PasswordHasher().verify(first, PASSCODE) and PasswordHasher().verify(second, PASSCODE)


@pytest.mark.parametrize("passcode", ["", "seven 7", "x" * 201])
def test_a_passcode_outside_8_to_200_characters_is_refused(passcode):
    with pytest.raises(InputError) as error:
        access.hash_passcode(passcode)
    assert codes(error.value) == [("passcode", "passcode_length")]
    assert error.value.problems[0].params == {"min": 8, "max": 200}


def test_the_length_limits_themselves_are_accepted():
    assert access.hash_passcode("x" * 8).startswith("$argon2id$")
    assert access.hash_passcode("ü" * 200).startswith("$argon2id$")


def test_a_protected_workspace_with_a_short_passcode_is_not_created(engine):
    with pytest.raises(InputError) as error:
        protected(engine, passcode="short")
    assert codes(error.value) == [("passcode", "passcode_length")]
    assert db.run_read(engine, store.list_workspaces) == []


def test_the_stored_row_holds_the_hash_and_never_the_passcode(engine):
    workspace = protected(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM workspace WHERE id = :id"), {"id": workspace.id}).mappings().one()
    assert row["passcode_hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(row["passcode_hash"], PASSCODE)
    assert not any(PASSCODE in str(value) for value in row.values())
    assert row["failed_attempts"] == 0 and row["locked_until"] is None


def test_repr_and_str_of_a_workspace_show_neither_passcode_nor_hash(engine):
    workspace = protected(engine)
    loaded = load(engine, workspace.id).workspace
    passcode_hash = loaded.passcode_hash
    assert passcode_hash
    for shown in (repr(workspace), str(workspace), repr(loaded), str(loaded)):
        assert PASSCODE not in shown
        assert passcode_hash not in shown
        assert passcode_hash.rsplit("$", 1)[-1] not in shown


def test_exports_carry_neither_passcode_nor_hash(sqlite_engine):
    workspace = protected(sqlite_engine)
    add_stakeholder(sqlite_engine, workspace.id, SECRET_STAKEHOLDER, "policy_sectors", influence=4)
    data = load(sqlite_engine, workspace.id)
    passcode_hash = data.workspace.passcode_hash
    digest = passcode_hash.rsplit("$", 1)[-1]
    content = load_content()

    document = json.dumps(backup.export_workspace(data), ensure_ascii=False)
    book = load_workbook(io.BytesIO(exports.workbook_bytes(data, content)))
    cells = "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    )
    reader = PdfReader(io.BytesIO(report.report_pdf(data, content)))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)

    # The exports are real: each carries the register.
    for exported in (document, cells, pdf_text):
        assert SECRET_STAKEHOLDER in exported.replace("\n", " ")
        for secret in (PASSCODE, passcode_hash, digest, "argon2"):
            assert secret not in exported
    assert "passcode" not in document and "failed_attempts" not in document


# --- Trying passcodes -------------------------------------------------------------------------------------------
def test_the_right_passcode_opens_and_a_wrong_one_is_counted(engine):
    workspace = protected(engine)
    opened = attempt(engine, workspace, PASSCODE)
    assert opened.granted and opened.workspace.id == workspace.id and opened.wait_seconds == 0
    refused = attempt(engine, workspace, WRONG)
    assert (refused.granted, refused.workspace, refused.wait_seconds, refused.needs_passcode) == (False, None, 0, False)
    assert counted(engine, workspace.id).failed_attempts == 1
    assert not attempt(engine, workspace, PASSCODE.upper()).granted
    assert counted(engine, workspace.id).failed_attempts == 2
    with pytest.raises(NotFound):
        db.run_write(engine, access.try_passcode, public_id="no-such-workspace", passcode=PASSCODE)


def test_a_right_passcode_within_the_free_attempts_opens_and_resets_the_count(engine):
    workspace = protected(engine)
    for _ in range(access.FREE_ATTEMPTS - 1):
        assert attempt(engine, workspace, WRONG, T0).wait_seconds == 0
    assert counted(engine, workspace.id).failed_attempts == access.FREE_ATTEMPTS - 1
    assert attempt(engine, workspace, PASSCODE, T0).granted
    row = counted(engine, workspace.id)
    assert (row.failed_attempts, row.locked_until) == (0, None)


def test_after_the_free_attempts_even_the_right_passcode_is_not_checked_until_the_wait_ends(engine, checks):
    workspace = protected(engine)
    results = [attempt(engine, workspace, WRONG, T0) for _ in range(access.FREE_ATTEMPTS)]
    assert [r.wait_seconds for r in results[:-1]] == [0] * (access.FREE_ATTEMPTS - 1)
    assert results[-1].wait_seconds == 2 and not results[-1].granted
    row = counted(engine, workspace.id)
    assert row.failed_attempts == access.FREE_ATTEMPTS
    assert row.locked_until == T0 + dt.timedelta(seconds=2)
    assert len(checks) == access.FREE_ATTEMPTS

    # While the wait runs, attempts are refused without looking at the passcode (right or wrong), uncounted.
    for now, passcode, wait in ((T0, PASSCODE, 2), (T0 + dt.timedelta(seconds=0.5), PASSCODE, 2)):
        refused = attempt(engine, workspace, passcode, now)
        assert (refused.granted, refused.workspace, refused.wait_seconds) == (False, None, wait)
    assert attempt(engine, workspace, WRONG, T0 + dt.timedelta(seconds=1.5)).wait_seconds == 1
    assert len(checks) == access.FREE_ATTEMPTS
    assert counted(engine, workspace.id).failed_attempts == access.FREE_ATTEMPTS

    # Once it has passed, the right passcode opens and the count starts again.
    opened = attempt(engine, workspace, PASSCODE, T0 + dt.timedelta(seconds=2))
    assert opened.granted and len(checks) == access.FREE_ATTEMPTS + 1
    row = counted(engine, workspace.id)
    assert (row.failed_attempts, row.locked_until) == (0, None)
    assert attempt(engine, workspace, WRONG, T0 + dt.timedelta(seconds=3)).wait_seconds == 0


def test_the_wait_doubles_with_each_wrong_passcode_and_is_capped(engine):
    workspace = protected(engine)
    now = T0
    waits = []
    for _ in range(access.FREE_ATTEMPTS + 2):
        result = attempt(engine, workspace, WRONG, now)
        waits.append(result.wait_seconds)
        now += dt.timedelta(seconds=result.wait_seconds)
    assert waits == [0] * (access.FREE_ATTEMPTS - 1) + [2, 4, 8]
    assert counted(engine, workspace.id).locked_until == now

    # Many failures later (as if the guessing had gone on), the wait stops growing at MAX_WAIT_SECONDS.
    with db.write_session(engine) as session:
        session.execute(
            text("UPDATE passcode_attempt SET failures = 40 WHERE workspace_id = :id"), {"id": workspace.id}
        )
    capped = attempt(engine, workspace, WRONG, now)
    assert capped.wait_seconds == access.MAX_WAIT_SECONDS
    row = counted(engine, workspace.id)
    assert row.failed_attempts == 41
    assert row.locked_until == now + dt.timedelta(seconds=access.MAX_WAIT_SECONDS)
    almost = now + dt.timedelta(seconds=access.MAX_WAIT_SECONDS - 1)
    assert attempt(engine, workspace, PASSCODE, almost).wait_seconds == 1
    assert attempt(engine, workspace, PASSCODE, now + dt.timedelta(seconds=access.MAX_WAIT_SECONDS)).granted


def test_a_stranger_guessing_from_elsewhere_never_slows_the_owner_down(engine):
    """Wrong attempts are counted per client address: a stranger who keeps guessing (the home page lists
    workspace names) waits longer and longer, while the owner's right passcode opens at once."""
    workspace = protected(engine)
    now = T0
    for _ in range(access.FREE_ATTEMPTS + 3):
        guess = db.run_write(
            engine, access.try_passcode, public_id=workspace.public_id, passcode=WRONG, client="stranger", now=now
        )
        now += dt.timedelta(seconds=guess.wait_seconds)  # the stranger waits each time, then guesses again
    now -= dt.timedelta(seconds=1)  # one second before the stranger's next try
    assert guess.wait_seconds == 16 and counted(engine, workspace.id, "stranger").failed_attempts == 8
    owner = db.run_write(
        engine, access.try_passcode, public_id=workspace.public_id, passcode=PASSCODE, client="owner", now=now
    )
    assert owner.granted
    # The stranger is still slowed down, right passcode or not; the owner's success forgot nothing of theirs.
    again = db.run_write(
        engine, access.try_passcode, public_id=workspace.public_id, passcode=PASSCODE, client="stranger", now=now
    )
    assert (again.granted, again.wait_seconds) == (False, 1)


def recover(engine, workspace: Workspace, code: str, new: str, client: str = "", now=None) -> access.Recovery:
    return db.run_write(
        engine,
        access.recover,
        public_id=workspace.public_id,
        recovery_code=code,
        new_passcode=new,
        client=client,
        now=now,
    )


def test_the_recovery_code_sets_a_new_passcode_once_and_is_replaced(engine):
    code = access.new_recovery_code()
    assert len(code) == 23 and code.count("-") == 3
    data = {"name": "Kick-off Dakar", "country": "Senegal", "level": "national"}
    workspace = db.run_write(
        engine, access.create_protected_workspace, data=data, passcode=PASSCODE, recovery_code=code
    )
    assert code.replace("-", "") not in str(stored(engine, workspace.id).recovery_hash)  # only a slow hash

    wrong = recover(engine, workspace, "AAAAA-BBBBB-CCCCC-DDDDD", "a brand new passcode", "someone")
    assert (wrong.workspace, wrong.next_code) == (None, "")
    assert counted(engine, workspace.id, "someone").failed_attempts == 1

    # Typed loosely (lower case, spaces instead of dashes), the right code works.
    done = recover(engine, workspace, code.lower().replace("-", " "), "a brand new passcode", "owner")
    assert done.workspace is not None and done.next_code and done.next_code != code
    assert not attempt(engine, workspace, PASSCODE).granted
    assert attempt(engine, workspace, "a brand new passcode").granted
    # A code works once: the old one no longer does, the new one does.
    assert recover(engine, workspace, code, "yet another passcode", "owner").workspace is None
    assert recover(engine, workspace, done.next_code, "yet another passcode", "owner").workspace is not None


def test_recovery_refuses_a_short_new_passcode_before_counting_anything(engine):
    code = access.new_recovery_code()
    data = {"name": "Kick-off Lima", "country": "Peru", "level": "national"}
    workspace = db.run_write(
        engine, access.create_protected_workspace, data=data, passcode=PASSCODE, recovery_code=code
    )
    with pytest.raises(InputError) as refused:
        recover(engine, workspace, code, "short")
    assert codes(refused.value) == [("passcode", "passcode_length")]
    assert counted(engine, workspace.id).failed_attempts == 0
    assert attempt(engine, workspace, PASSCODE).granted


def test_wrong_recovery_codes_are_slowed_down_like_wrong_passcodes(engine):
    workspace = protected(engine)  # made without a recovery code (as before this release): none works
    waits = [recover(engine, workspace, access.new_recovery_code(), "a brand new passcode", now=T0).wait_seconds]
    waits += [recover(engine, workspace, "X", "a brand new passcode", now=T0).wait_seconds for _ in range(5)]
    assert waits == [0, 0, 0, 0, 2, 2]
    assert attempt(engine, workspace, PASSCODE, T0).wait_seconds == 2  # the same client's count


def test_the_operator_resets_a_forgotten_passcode_from_the_command_line(database_url, monkeypatch, capsys):
    from gcm_guide import admin

    engine = db.open_database(database_url)
    workspace = protected(engine, name="Kick-off Kingston")
    for _ in range(access.FREE_ATTEMPTS + 1):
        attempt(engine, workspace, WRONG, T0)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert admin.main(["list"]) == 0
    assert f"{workspace.public_id}\tKick-off Kingston\tJamaica" in capsys.readouterr().out
    assert admin.main(["reset-passcode", "Kick-off Kingston"]) == 0
    out = capsys.readouterr().out
    passcode = out.split(f"({workspace.public_id}): ")[1].split("\n")[0]
    recovery_code = out.split("New recovery code: ")[1].split("\n")[0]
    assert attempt(engine, workspace, passcode, T0).granted  # the throttle was forgotten too
    assert not attempt(engine, workspace, PASSCODE, T0).granted
    assert recover(engine, workspace, recovery_code, "chosen by the owner", now=T0).workspace is not None
    assert admin.main(["reset-passcode", "No such workspace"]) == 1
    assert "No workspace has the id or the exact name 'No such workspace'" in capsys.readouterr().err
    engine.dispose()


def test_the_demo_command_prints_the_address_and_the_passcode_that_open_its_workspace(
    database_url, monkeypatch, capsys
):
    """A newcomer trying the app: the demo command's output is a whole address to click and the passcode
    that opens the workspace (not a workspace "made before passcodes" that asks them to invent one)."""
    from gcm_guide import demo

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("GCM_PUBLIC_URL", raising=False)
    assert demo.main(["Kick-off demo", "--stakeholders", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Created the workspace 'Kick-off demo' with 3 stakeholders."
    assert out[1].startswith("Open it at http://localhost:8501/guiding-questions?ws=")
    public_id = out[1].split("?ws=")[1]
    passcode = out[2].removeprefix("Passcode: ")
    engine = db.open_database(database_url)
    workspace = db.run_read(engine, store.get_workspace, public_id=public_id)
    assert attempt(engine, workspace, passcode, T0).granted
    assert len(load(engine, workspace.id).stakeholders) == 3

    assert demo.main(["Mine", "--passcode", "our own passcode", "--url", "https://gcm.example.org/"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Open it at https://gcm.example.org/guiding-questions?ws=")
    assert out[2] == "Passcode: our own passcode"
    mine = db.run_read(engine, store.get_workspace, public_id=out[1].split("?ws=")[1])
    assert attempt(engine, mine, "our own passcode", T0).granted
    with pytest.raises(SystemExit):
        demo.main(["Too short", "--passcode", "short"])
    assert "the passcode needs 8 to 200 characters" in capsys.readouterr().err
    assert [w.name for w in db.run_read(engine, store.list_workspaces)].count("Too short") == 0
    engine.dispose()


def test_concurrent_wrong_passcodes_are_all_counted_and_the_throttle_holds(engine, checks):
    """Several attempts at once: each checked one is counted (no lost update), none slips past the lock."""
    workspace = protected(engine)
    threads_count = access.FREE_ATTEMPTS + 3
    start = threading.Barrier(threads_count)
    results: list[access.Attempt] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def guess() -> None:
        try:
            start.wait()
            result = attempt(engine, workspace, WRONG, T0)
            with guard:
                results.append(result)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == threads_count and not any(r.granted for r in results)
    row = counted(engine, workspace.id)
    assert row.failed_attempts == len(checks)
    assert len(checks) == access.FREE_ATTEMPTS  # the rest met the lock and were not checked
    assert sum(1 for r in results if r.wait_seconds == 0) == access.FREE_ATTEMPTS - 1
    assert row.locked_until == T0 + dt.timedelta(seconds=2)


# --- Workspaces made before passcodes --------------------------------------------------------------------------
def test_a_legacy_workspace_asks_for_a_first_passcode_once(engine):
    legacy = make_workspace(engine, "Made before passcodes")
    assert legacy.passcode_hash is None and legacy.owner_subject is None
    result = attempt(engine, legacy, PASSCODE)
    assert (result.granted, result.needs_passcode) == (False, True)
    assert result.workspace.id == legacy.id
    assert counted(engine, legacy.id).failed_attempts == 0

    with pytest.raises(InputError) as error:
        db.run_write(engine, access.set_first_passcode, public_id=legacy.public_id, passcode="short")
    assert codes(error.value) == [("passcode", "passcode_length")]
    assert stored(engine, legacy.id).passcode_hash is None

    db.run_write(engine, access.set_first_passcode, public_id=legacy.public_id, passcode=PASSCODE)
    first_hash = stored(engine, legacy.id).passcode_hash
    assert first_hash.startswith("$argon2id$")
    assert attempt(engine, legacy, PASSCODE).granted

    with pytest.raises(InputError) as error:
        db.run_write(engine, access.set_first_passcode, public_id=legacy.public_id, passcode="a takeover passcode")
    assert codes(error.value) == [("passcode", "passcode_already_set")]
    assert stored(engine, legacy.id).passcode_hash == first_hash
    with pytest.raises(NotFound):
        db.run_write(engine, access.set_first_passcode, public_id="no-such-workspace", passcode=PASSCODE)


def test_changing_the_passcode_needs_the_current_one(engine):
    workspace = protected(engine)
    before = stored(engine, workspace.id).passcode_hash
    with pytest.raises(InputError) as error:
        db.run_write(engine, access.change_passcode, workspace_id=workspace.id, current=WRONG, new="a new passcode")
    assert codes(error.value) == [("passcode", "passcode_wrong")]
    assert stored(engine, workspace.id).passcode_hash == before

    db.run_write(engine, access.change_passcode, workspace_id=workspace.id, current=PASSCODE, new="a new passcode")
    assert attempt(engine, workspace, "a new passcode").granted
    assert not attempt(engine, workspace, PASSCODE).granted

    legacy = make_workspace(engine, "Made before passcodes")
    with pytest.raises(InputError) as error:
        db.run_write(engine, access.change_passcode, workspace_id=legacy.id, current="", new="a new passcode")
    assert codes(error.value) == [("passcode", "passcode_wrong")]
    assert stored(engine, legacy.id).passcode_hash is None


# --- OIDC owners -----------------------------------------------------------------------------------------------
def test_only_the_signed_in_owner_may_open_an_oidc_workspace(engine):
    owned = db.run_write(
        engine,
        access.create_protected_workspace,
        data={"name": "Signed-in team", "country": "Ghana"},
        owner_subject="amina@example.org",
    )
    assert (owned.owner_subject, owned.passcode_hash) == ("amina@example.org", None)
    assert access.owner_may_open(owned, "amina@example.org")
    for subject in ("someone@example.org", "", None):
        assert not access.owner_may_open(owned, subject)
    # A passcode workspace has no owner identity: nobody opens it by signing in, not even with no subject.
    by_passcode = protected(engine, "Passcode team")
    for subject in (None, "", "amina@example.org"):
        assert not access.owner_may_open(by_passcode, subject)
    # An OIDC workspace has no passcode: none opens it, and it is not taken for a legacy one.
    result = attempt(engine, owned, PASSCODE)
    assert (result.granted, result.needs_passcode) == (False, False)
    with pytest.raises(InputError) as error:
        db.run_write(engine, access.set_first_passcode, public_id=owned.public_id, passcode=PASSCODE)
    assert codes(error.value) == [("passcode", "passcode_already_set")]


# --- The lock in the app ------------------------------------------------------------------------------------------
def fill(engine, workspace: Workspace) -> None:
    add_stakeholder(engine, workspace.id, SECRET_STAKEHOLDER, "policy_sectors", influence=4)
    db.run_write(
        engine,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": SECRET_ANSWER},
    )
    db.run_write(
        engine,
        store.add_activity,
        workspace_id=workspace.id,
        data={"title": SECRET_ACTIVITY, "audience": "government", "activity_type": "briefings"},
    )
    db.run_write(engine, store.add_role, workspace_id=workspace.id, data={"body": SECRET_ROLE, "role": "lead"})


@pytest.fixture
def locked(engine_for_app):
    workspace = protected(engine_for_app)
    fill(engine_for_app, workspace)
    return workspace


def rendered(at: AppTest) -> str:
    """Everything in the rendered element tree (labels, values, options, data), escaping undone."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return unescaped("\n".join(parts))


def assert_shows_nothing_of_it(at: AppTest) -> None:
    everything = rendered(at)
    for secret in SECRETS:
        assert secret not in everything


def assert_only_the_lock_form(at: AppTest, name: str = "Kick-off Kingston") -> None:
    assert not at.exception
    assert f"{name} is locked" in [unescaped(h.value) for h in at.subheader]
    # The passcode, and (folded away) the recovery form: a recovery code and a new passcode twice.
    recovery = ["access_recovery_code", "access_recover_passcode", "access_recover_passcode_again"]
    assert [w.key for w in at.text_input] == ["access_passcode", *recovery]
    assert [b.label for b in at.button] == ["Open", "Set the new passcode"]
    for kind in ("text_area", "selectbox", "multiselect", "radio", "checkbox", "number_input", "slider"):
        assert len(getattr(at, kind)) == 0, kind
    for kind in ("arrow_data_frame", "download_button", "button_group"):
        # The language switch in the sidebar shows nothing of the workspace.
        assert [w for w in at.get(kind) if getattr(w, "key", None) != language.SWITCH_KEY] == [], kind
    assert_shows_nothing_of_it(at)


def unlock(at: AppTest, passcode: str) -> AppTest:
    at.text_input(key="access_passcode").input(passcode)
    return at.button(key="FormSubmitter:access_unlock-Open").click().run()


@pytest.mark.parametrize("page_file", WORKSPACE_PAGES)
def test_every_workspace_page_shows_only_the_lock_form_without_the_passcode(app_db, locked, page_file):
    at = open_page(app_db, page_file, locked.public_id, owner=False)
    assert_only_the_lock_form(at)


def test_the_right_passcode_in_the_form_opens_the_workspace(app_db, engine_for_app, locked):
    at = open_page(app_db, "pages/guiding_questions.py", locked.public_id, owner=False)
    unlock(at, PASSCODE)
    assert not at.exception
    assert at.text_area(key="gq_answer_policy_sectors").value == SECRET_ANSWER
    assert "is locked" not in texts(at)
    assert locked.public_id in at.session_state[OWNER_GRANTS]
    # The grant lasts for the session: other pages open too.
    at.switch_page("pages/identify_stakeholders.py").run()
    assert SECRET_STAKEHOLDER in rendered(at)


def test_a_wrong_passcode_in_the_form_reveals_nothing(app_db, engine_for_app, locked):
    at = open_page(app_db, "pages/guiding_questions.py", locked.public_id, owner=False)
    unlock(at, WRONG)
    assert "That passcode is not right." in texts(at)
    assert_only_the_lock_form(at)
    assert counted(engine_for_app, locked.id).failed_attempts == 1
    assert OWNER_GRANTS not in at.session_state or not at.session_state[OWNER_GRANTS]


def test_too_many_wrong_passcodes_in_the_form_make_it_wait_even_for_the_right_one(app_db, engine_for_app, locked):
    at = open_page(app_db, "pages/guiding_questions.py", locked.public_id, owner=False)
    for _ in range(access.FREE_ATTEMPTS - 1):
        unlock(at, WRONG)
        assert "That passcode is not right." in texts(at)
    unlock(at, WRONG)
    assert "Too many wrong passcodes. Try again in" in texts(at)
    unlock(at, PASSCODE)
    assert "Too many wrong passcodes. Try again in" in texts(at)
    assert_only_the_lock_form(at)
    assert counted(engine_for_app, locked.id).failed_attempts == access.FREE_ATTEMPTS


def test_a_new_workspace_shows_its_recovery_code_until_the_owner_has_kept_it(app_db, engine_for_app):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="home_create_name").input("Kick-off Accra")
    at.text_input(key="home_create_passcode").input(PASSCODE)
    at.text_input(key="home_create_passcode_again").input(PASSCODE)
    at.button(key="FormSubmitter:home_create-Create workspace").click().run()
    assert not at.exception
    # (After the first run, AppTest reruns only the page script, not app.py's frame that shows the notice.)
    code = at.session_state["_recovery_code_to_keep"]
    workspace = next(w for w in db.run_read(engine_for_app, store.list_workspaces) if w.name == "Kick-off Accra")
    # The frame's first run shows it (a browser test, conftest.create_workspace, dismisses it as a person would).
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_recovery_code_to_keep"] = code
    at.run()
    assert [c.value for c in at.code] == [code] and len(code) == 23
    assert "Keep this recovery code somewhere safe." in texts(at)
    # The code shown is the workspace's: it sets a new passcode.
    assert recover(engine_for_app, workspace, code, "chosen after a holiday").workspace is not None


def test_the_lock_form_sets_a_new_passcode_with_the_recovery_code(app_db, engine_for_app):
    code = access.new_recovery_code()
    data = {"name": "Kick-off Quito", "country": "Ecuador", "level": "national"}
    workspace = db.run_write(
        engine_for_app, access.create_protected_workspace, data=data, passcode=PASSCODE, recovery_code=code
    )
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id, owner=False)
    at.text_input(key="access_recovery_code").input("WRONG-CODE0-00000-00000")
    at.text_input(key="access_recover_passcode").input("chosen after a holiday")
    at.text_input(key="access_recover_passcode_again").input("chosen after a holiday")
    at.button(key="FormSubmitter:access_recover-Set the new passcode").click().run()
    assert "That recovery code is not right." in texts(at)
    assert_only_the_lock_form(at, "Kick-off Quito")
    at.text_input(key="access_recovery_code").input(code)
    at.button(key="FormSubmitter:access_recover-Set the new passcode").click().run()
    assert not at.exception
    assert "Guiding questions" in [h.value for h in at.title]  # opened
    assert len(at.code) == 1 and at.code[0].value not in ("", code)  # the next code, to keep
    assert attempt(engine_for_app, workspace, "chosen after a holiday").granted


def test_a_legacy_workspace_page_asks_to_set_a_passcode_and_then_opens(app_db, engine_for_app):
    legacy = make_workspace(engine_for_app, "Made before passcodes")
    at = open_page(app_db, "pages/guiding_questions.py", legacy.public_id, owner=False)
    assert {w.key for w in at.text_input} == {"access_passcode", "access_passcode_again"}
    assert len(at.text_area) == 0
    at.text_input(key="access_passcode").input(PASSCODE)
    at.text_input(key="access_passcode_again").input("something else entirely")
    at.button(key="FormSubmitter:access_unlock-Set passcode and open").click().run()
    assert "The two passcodes are not the same." in texts(at)
    assert stored(engine_for_app, legacy.id).passcode_hash is None
    at.text_input(key="access_passcode").input(PASSCODE)
    at.text_input(key="access_passcode_again").input(PASSCODE)
    at.button(key="FormSubmitter:access_unlock-Set passcode and open").click().run()
    assert not at.exception
    assert "gq_answer_policy_sectors" in [w.key for w in at.text_area]
    assert attempt(engine_for_app, legacy, PASSCODE).granted


def test_opening_another_workspace_in_an_unlocked_session_shows_its_lock_form(app_db, engine_for_app, locked):
    other = protected(engine_for_app, "Other team", passcode="the other team's passcode")
    at = open_page(app_db, "pages/guiding_questions.py", other.public_id)  # this session unlocked `other`
    assert "gq_answer_policy_sectors" in [w.key for w in at.text_area]
    at.switch_page("pages/home.py").run()
    at.button(key=f"home_open_{locked.id}").click().run()
    assert at.query_params["ws"] in (locked.public_id, [locked.public_id])
    assert_only_the_lock_form(at)
    for page_file in ("pages/identify_stakeholders.py", "pages/raise_awareness.py", "pages/summary.py"):
        at.switch_page(page_file).run()
        assert_only_the_lock_form(at)
    data = load(engine_for_app, locked.id)
    assert [s.name for s in data.stakeholders] == [SECRET_STAKEHOLDER]
    assert data.answer_text("policy_sectors") == SECRET_ANSWER


def test_a_session_holding_another_workspaces_grant_sees_only_the_lock_form(app_db, engine_for_app, locked):
    """A link to the locked workspace (?ws=...) opened with a grant for another workspace only."""
    other = protected(engine_for_app, "Other team", passcode="the other team's passcode")
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["ws"] = locked.public_id
    at.session_state[OWNER_GRANTS] = {other.public_id}
    at.run()
    for page_file in WORKSPACE_PAGES[:4]:
        at.switch_page(page_file).run()
        assert_only_the_lock_form(at)
    before = load(engine_for_app, locked.id)
    assert [s.name for s in before.stakeholders] == [SECRET_STAKEHOLDER]


def test_changing_ws_in_the_url_mid_session_never_reveals_the_other_workspace(app_db, engine_for_app, locked):
    other = protected(engine_for_app, "Other team", passcode="the other team's passcode")
    at = open_page(app_db, "pages/guiding_questions.py", other.public_id)
    at.query_params["ws"] = locked.public_id
    at.run()
    assert not at.exception
    assert_shows_nothing_of_it(at)
    # The address wins: the URL names the locked workspace, and the page shows only its lock form.
    shown = at.query_params["ws"]
    assert (shown[0] if isinstance(shown, list) else shown) == locked.public_id
    assert_only_the_lock_form(at)


def test_a_workshop_participant_sees_no_answers_of_the_workspace(app_db, engine_for_app, locked):
    live = db.run_write(engine_for_app, workshop.open_session, workspace_id=locked.id)
    credential = db.run_write(engine_for_app, participants.join, code=live.code, data={"display_name": "Amina"})
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["ws"] = locked.public_id
    at.run()
    # The phone asks for the guiding questions page of the workspace, holding only its workshop pass.
    at.switch_page("pages/guiding_questions.py")
    at.session_state["_participant_pass"] = credential
    at.run()
    everything = rendered(at)
    assert SECRET_ANSWER not in everything
    assert SECRET_ACTIVITY not in everything and SECRET_ROLE not in everything
    assert not [w for w in at.text_area if (w.key or "").startswith("gq_answer_")]
    assert not at.exception, [e.message for e in at.exception]
    # The pass leads to the participant page, not to the workspace.
    assert "You are in Kick-off Kingston as Amina." in texts(at)


def test_the_home_list_counts_stakeholders_only_of_unlocked_workspaces(app, engine_for_app):
    mine = protected(engine_for_app, "Unlocked team")
    theirs = protected(engine_for_app, "Locked team", passcode="the locked team's passcode")
    for index in range(2):
        add_stakeholder(engine_for_app, mine.id, f"Mine {index}", "media")
    for index in range(3):
        add_stakeholder(engine_for_app, theirs.id, f"Theirs {index}", "media")
    db.run_write(
        engine_for_app, store.save_answer, workspace_id=theirs.id, question_id="policy_sectors", changes={"text": "x"}
    )
    app.session_state[OWNER_GRANTS] = {mine.public_id}
    app.run()
    assert not app.exception
    captions = [c.value for c in app.caption]
    mine_line = next(c for c in captions if "2 stakeholders" in c)
    assert "0 of 6 questions answered" in mine_line
    assert not any("3 stakeholders" in c or "1 of 6 questions answered" in c for c in captions)
    assert "Locked team :material/lock: (locked)" in texts(app)
    keys = {b.key for b in app.button}
    assert {f"home_open_{mine.id}", f"home_delete_{mine.id}", f"home_open_{theirs.id}"} <= keys
    assert f"home_delete_{theirs.id}" not in keys
    assert f"home_rename_name_{theirs.id}" not in {w.key for w in app.text_input}
    assert not any("Theirs" in value for value in rendered(app).splitlines())


# --- OIDC deployments in the app ---------------------------------------------------------------------------------
AMINA = {"is_logged_in": True, "email": "amina@example.org"}


def oidc_app(user: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = user
    return at


def test_in_an_oidc_deployment_the_signed_in_user_owns_what_they_create(app_db, engine_for_app, monkeypatch):
    monkeypatch.setenv("GCM_AUTH", "oidc")
    # Signed out: no passcode to choose, nothing to create until one signs in.
    signed_out = oidc_app({"is_logged_in": False})
    signed_out.run()
    assert not signed_out.exception
    assert not [w.key for w in signed_out.text_input if "passcode" in (w.key or "")]
    assert signed_out.button(key="FormSubmitter:home_create-Create workspace").disabled
    assert "Sign in" in [b.label for b in signed_out.button]

    amina = oidc_app(AMINA)
    amina.run()
    assert not amina.button(key="FormSubmitter:home_create-Create workspace").disabled
    amina.text_input(key="home_create_name").input("Kick-off Accra")
    amina.button(key="FormSubmitter:home_create-Create workspace").click().run()
    assert not amina.exception
    (created,) = db.run_read(engine_for_app, store.list_workspaces)
    assert (created.owner_subject, created.passcode_hash) == ("amina@example.org", None)
    assert "Guiding questions" in texts(amina)
    add_stakeholder(engine_for_app, created.id, SECRET_STAKEHOLDER, "policy_sectors")

    # Her identity opens it in a new session, with no passcode asked; someone else's does not.
    again = open_page(app_db, "pages/identify_stakeholders.py", created.public_id, owner=False, user=AMINA)
    assert not again.exception
    assert SECRET_STAKEHOLDER in rendered(again)
    other = open_page(
        app_db,
        "pages/identify_stakeholders.py",
        created.public_id,
        owner=False,
        user={"is_logged_in": True, "email": "someone@example.org"},
    )
    assert not other.exception
    assert "Only the person who created this workspace can open it" in texts(other)
    assert SECRET_STAKEHOLDER not in rendered(other)
    assert not other.text_input and not other.text_area
