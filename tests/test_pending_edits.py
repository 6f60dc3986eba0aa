"""Two queued reruns merged: a field's edit sent just before a page switch is kept (gcm_guide.web.pending_edits)."""

from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.runtime.scriptrunner_utils import script_requests

from gcm_guide.web import pending_edits, resources


def states(**values: str) -> WidgetStates:
    message = WidgetStates()
    for widget_id, value in values.items():
        message.widgets.append(WidgetState(id=widget_id, string_value=value))
    return message


def by_id(message: WidgetStates) -> dict[str, str]:
    return {state.id: state.string_value for state in message.widgets}


def test_an_edit_the_newer_request_lacks_is_kept_and_a_newer_value_wins():
    left_field = states(answer="Ministry of National Security", language="en")
    page_switch = states(language="fr")
    assert by_id(pending_edits.keep_pending_widget_states(left_field, page_switch)) == {
        "answer": "Ministry of National Security",
        "language": "fr",
    }
    # Streamlit's own merge dropped the edit: the loss this module exists for.
    assert by_id(pending_edits._streamlit_merge(states(answer="typed"), states(language="fr"))) == {"language": "fr"}
    assert by_id(pending_edits.keep_pending_widget_states(states(answer="old"), states(answer="new"))) == {
        "answer": "new"
    }
    assert pending_edits.keep_pending_widget_states(None, page_switch) is page_switch
    assert by_id(pending_edits.keep_pending_widget_states(left_field, None)) == by_id(left_field)


def test_installing_makes_streamlit_use_the_merge(monkeypatch):
    monkeypatch.setattr(script_requests, "_coalesce_widget_states", pending_edits._streamlit_merge)
    pending_edits.install()
    assert script_requests._coalesce_widget_states is pending_edits.keep_pending_widget_states
    # Streamlit's queue, as on a busy server: the field's rerun still waits when the menu's click arrives.
    queue = script_requests.ScriptRequests()
    queue.request_rerun(script_requests.RerunData(widget_states=states(answer="typed"), page_script_hash="questions"))
    queue.request_rerun(script_requests.RerunData(widget_states=states(), page_script_hash="stakeholders"))
    request = queue.on_scriptrunner_ready()
    assert request.rerun_data is not None
    assert request.rerun_data.page_script_hash == "stakeholders"
    assert by_id(request.rerun_data.widget_states) == {"answer": "typed"}


def test_the_server_installs_the_merge_before_its_first_visitor(monkeypatch):
    monkeypatch.setattr(script_requests, "_coalesce_widget_states", pending_edits._streamlit_merge)
    monkeypatch.setattr(resources, "_settled", False)
    monkeypatch.setattr(resources.gc, "freeze", lambda: None)  # this test process's objects stay collectable
    resources.settle_startup()
    assert script_requests._coalesce_widget_states is pending_edits.keep_pending_widget_states
