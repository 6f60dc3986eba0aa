"""Errors the store raises for users to read: they carry codes and values, the wording lives in data/ui."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field, what kind of problem, and the values to explain it."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # `field` is the attribute above


# Pydantic error types that mean the same thing to a user.
_SAME_MEANING = {"string_too_long": "too_long", "int_type": "int_parsing", "int_from_float": "int_parsing"}


# Messages raised by our own validators (gcm_guide.models) → problem codes.
_OWN_MESSAGES = {"must not be empty": "empty", "contains active markup": "active_markup"}


class StoreError(Exception):
    """Base class for errors a user can act on."""


class InputError(StoreError):
    """The input was refused; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code} {p.params}" for p in problems))
        self.problems = problems

    @classmethod
    def single(cls, field_name: str, code: str, **params: Any) -> InputError:
        return cls([Problem(field_name, code, params)])

    @classmethod
    def from_validation(cls, error: ValidationError) -> InputError:
        problems = []
        for item in error.errors():
            field_name = ".".join(str(part) for part in item["loc"]) or "value"
            params = {
                key: value for key, value in (item.get("ctx") or {}).items() if isinstance(value, (int, float, str))
            }
            if item["type"] == "value_error":
                # Our own validators raise ValueError("must not be empty").
                code = next((c for m, c in _OWN_MESSAGES.items() if m in item["msg"]), "invalid")
            elif item["type"] == "too_long" and params.get("field_type") == "List":
                code = "too_many"  # pydantic says "too long" for a list with too many entries, too
            else:
                code = _SAME_MEANING.get(item["type"], item["type"])
            problems.append(Problem(field_name, code, params))
        return cls(problems)


class NotFound(StoreError):
    """The record no longer exists (for example, deleted in another tab)."""

    def __init__(self, entity: str, identifier: Any) -> None:
        super().__init__(f"{entity} {identifier!r} not found")
        self.entity = entity
        self.identifier = identifier


class Conflict(StoreError):
    """Someone else changed the same field since this user loaded it; nothing was written."""

    def __init__(self, entity: str, field_name: str, mine: Any, theirs: Any, current_version: int) -> None:
        super().__init__(f"{entity}.{field_name} changed elsewhere (now version {current_version})")
        self.entity = entity
        self.field = field_name
        self.mine = mine
        self.theirs = theirs
        self.current_version = current_version
        # Which row of a table, when the conflict came from one (set by gcm_guide.tables).
        self.row_id: int | None = None
        self.row_label: str | None = None


class Unavailable(StoreError):
    """The database could not take the change just now (busy with another long write, or unreachable).
    Nothing was written; the same change can be tried again."""


class located:  # noqa: N801 - used as a context manager
    """Prefix the fields of an InputError raised inside with where the input came from ("stakeholders.3")."""

    def __init__(self, where: str | None) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> Literal[False]:
        if self.where is not None and isinstance(exc, InputError):
            raise InputError([Problem(f"{self.where}.{p.field}", p.code, p.params) for p in exc.problems]) from exc
        return False


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], data: Mapping[str, Any]) -> Model:
    """`data` checked as `model`, or an InputError naming each field that does not fit."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise InputError.from_validation(exc) from exc
