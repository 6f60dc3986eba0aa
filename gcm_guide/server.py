"""Start the app: `python -m gcm_guide.server [streamlit options]`, e.g. `--server.port 8501`.

It runs `streamlit run app.py` in this process, after one correction: Streamlit decides on its first
script run whether a `pages/` folder is an old-style auto-discovered page folder. Ours is not (app.py
registers the pages with st.navigation), but until a first run has happened Streamlit treats it as one,
so the first visitor to a deep link after a restart (e.g. /stakeholders?ws=...) got "Page not found"
(upstream: streamlit/streamlit#9624, the same symptom). The correction sets a private class attribute of
Streamlit's; `pages_folder_is_not_auto_discovered` fails loudly if an upgrade removes it, and
tests/test_browser.py opens a deep link on a freshly started server.

It also imports what the pages use and sets it aside from the garbage collector before the server starts
(`resources.settle_startup`; app.py does it on its first run when started with plain `streamlit run`).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def pages_folder_is_not_auto_discovered() -> None:
    """Tell Streamlit before its first run that pages/ is not an auto-discovered page folder."""
    from streamlit.runtime.pages_manager import PagesManager

    if "uses_pages_directory" not in vars(PagesManager):
        raise SystemExit(
            "Streamlit's PagesManager no longer has `uses_pages_directory` (private API used by "
            "gcm_guide/server.py to make deep links work on a fresh server, streamlit/streamlit#9624): "
            "check whether the upstream fix makes it unnecessary, then update gcm_guide/server.py."
        )
    PagesManager.uses_pages_directory = False


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    from gcm_guide.web import resources

    pages_folder_is_not_auto_discovered()
    # Before the server answers: the first visitor does not wait for every page's imports (~3 s).
    resources.settle_startup()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
