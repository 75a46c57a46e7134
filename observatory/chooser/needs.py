"""What a local authority needs, as plain answers (the chooser's questionnaire), and its YAML form.

Every field has a neutral default ("not asked"), so an empty needs file ranks on the facts alone. The YAML
loader accepts the older field names (``must_be_osi``, ``budget``) so existing needs files keep working.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

HOSTING_CHOICES: tuple[str, ...] = ("self_host", "hosted", "either")
DATA_LOCATION_CHOICES: tuple[str, ...] = ("anywhere", "eu", "country")
ACCESSIBILITY_CHOICES: tuple[str, ...] = ("none", "wcag_a", "wcag_aa", "wcag_aaa", "rgaa")
INTEGRATION_CHOICES: tuple[str, ...] = ("sso", "api", "open_data_export")
# Processes a local authority asks for, as feature ids of datasets/catalogue/features.csv.
PROCESS_CHOICES: tuple[str, ...] = ("participatory_budgeting", "proposals", "collaborative_drafting", "surveys",
                                    "polls", "petitions", "meetings", "voting", "debates", "initiatives")
# Above this population an authority is compared with regions rather than municipalities (a rough cut:
# the deployments table records the kind of organisation, not its population).
REGION_POPULATION = 3_000_000
LEGACY_FIELDS: dict[str, str] = {"must_be_osi": "open_source_required", "budget": "budget_per_year"}


@dataclass
class Needs:
    """A town hall's answers; the chooser scores each tool against them."""

    processes: list[str] = field(default_factory=list)
    country: str | None = None  # ISO 3166-1 alpha-2 of the organisation
    population: int | None = None
    expected_participants: int | None = None
    hosting: str = "either"
    data_location: str = "anywhere"
    budget_first_year: float | None = None  # EUR
    budget_per_year: float | None = None  # EUR
    accessibility: str = "none"
    languages: list[str] = field(default_factory=list)  # ISO 639-1
    support_language: str | None = None  # ISO 639-1
    open_source_required: bool = True
    network_copyleft_ok: bool = True
    integrations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name, allowed in (("hosting", HOSTING_CHOICES), ("data_location", DATA_LOCATION_CHOICES),
                              ("accessibility", ACCESSIBILITY_CHOICES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name}: {getattr(self, name)!r} is not one of {', '.join(allowed)}")
        bad = sorted(set(self.integrations) - set(INTEGRATION_CHOICES))
        if bad:
            raise ValueError(f"integrations: {', '.join(bad)} not among {', '.join(INTEGRATION_CHOICES)}")
        if self.data_location == "country" and not self.country:
            raise ValueError("data_location: 'country' needs the country field (ISO 3166-1 alpha-2)")
        if self.country:
            self.country = self.country.upper()

    # Older names, still read by callers written for the first chooser.
    @property
    def must_be_osi(self) -> bool:
        return self.open_source_required

    @property
    def budget(self) -> float | None:
        return self.budget_per_year

    def replace(self, **changes: object) -> Needs:
        return dataclasses.replace(self, **changes)


def organisation_type_for(population: int | None) -> str | None:
    """The ``deployments.organisation_type`` a local authority of this size is compared with."""
    if population is None:
        return None
    return "region" if population > REGION_POPULATION else "municipality"


_LISTS = ("processes", "languages", "integrations")
_BOOLS = ("open_source_required", "network_copyleft_ok")
_NUMBERS = ("budget_first_year", "budget_per_year")
_INTS = ("population", "expected_participants")
_STRINGS = ("country", "support_language", "hosting", "data_location", "accessibility")


def needs_from_mapping(data: dict, where: str = "needs") -> Needs:
    """Validate a mapping of answers (from YAML, a URL or the API); errors name ``where`` and the field."""
    data = {LEGACY_FIELDS.get(k, k): v for k, v in data.items()}
    known = {f.name for f in fields(Needs)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    for name in _LISTS:
        if name in data and not (isinstance(data[name], list) and all(isinstance(v, str) for v in data[name])):
            raise ValueError(f"{where}: field {name!r} must be a list of strings")
    for name in _BOOLS:
        if name in data and not isinstance(data[name], bool):
            raise ValueError(f"{where}: field {name!r} must be true or false")
    for name in _NUMBERS:
        if data.get(name) is not None and (isinstance(data[name], bool) or not isinstance(data[name], int | float)):
            raise ValueError(f"{where}: field {name!r} must be a number")
    for name in _INTS:
        if data.get(name) is not None and (isinstance(data[name], bool) or not isinstance(data[name], int)):
            raise ValueError(f"{where}: field {name!r} must be a whole number")
    for name in _STRINGS:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"{where}: field {name!r} must be text")
    try:
        return Needs(**data)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from exc


def load_needs(path: str | Path) -> Needs:
    """Read needs from a YAML file; unknown or mistyped fields raise ValueError naming the file and field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of needs, got {type(data).__name__}")
    return needs_from_mapping(data, path.name)


def needs_as_yaml(needs: Needs) -> str:
    """The needs as the YAML that :func:`load_needs` reads back."""
    return yaml.safe_dump(dataclasses.asdict(needs), allow_unicode=True, sort_keys=False)
