"""Configuration: the only module that reads the environment."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives unless configured: $XDG_DATA_HOME/gcm-guide."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "gcm-guide"


class Settings(BaseSettings):
    """Settings from environment variables (or a .env file next to app.py)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # e.g. postgresql+psycopg://user:password@host:5432/gcm ; empty means the embedded SQLite file.
    database_url: str = ""
    # Folder for the default SQLite file.
    gcm_data_dir: Path = default_data_dir()
    # Language of a new browser session (en, fr or es); each person can switch to another (gcm_guide/web/language.py).
    gcm_language: str = "en"
    # How owners prove a workspace is theirs: a passcode per workspace, or the OIDC login configured in
    # .streamlit/secrets.toml ([auth] section, see Streamlit's st.login documentation).
    gcm_auth: Literal["passcode", "oidc"] = "passcode"
    # The address phones use to reach the app (e.g. https://gcm.example.gov), for workshop join links and QR
    # codes; empty means the address the facilitator's browser used.
    gcm_public_url: str = ""

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the psycopg 3 driver named.
        value = value.strip()
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.gcm_data_dir / 'gcm-guide.sqlite3'}"


def get_settings() -> Settings:
    """The settings for the current environment. Parsing them costs about half a millisecond and every page
    run asks several times, so they are kept until an environment variable they depend on or the .env
    file changes (tests point the app at their own database that way)."""
    env_file = Path(".env").resolve()
    try:
        env_file_version: int | None = env_file.stat().st_mtime_ns
    except OSError:
        env_file_version = None
    names = {name.upper() for name in Settings.model_fields} | {"XDG_DATA_HOME", "HOME"}
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper() in names))
    return _settings_for(environment, str(env_file), env_file_version)


@functools.lru_cache(maxsize=16)
def _settings_for(_environment: tuple[tuple[str, str], ...], _env_file: str, _env_file_version: int | None) -> Settings:
    return Settings()
