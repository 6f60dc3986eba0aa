"""Start the app: `python -m gcm_guide.server [streamlit options]`, e.g. `--server.port 8501`.

It runs `streamlit run app.py` in this process, after one correction: Streamlit decides on its first
script run whether a `pages/` folder is an old-style auto-discovered page folder. Ours is not (app.py
registers the pages with st.navigation), but until a first run has happened Streamlit treats it as one,
so the first visitor to a deep link after a restart (e.g. /stakeholders?ws=...) got "Page not found".
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
