"""Time budgets of the PB engine, in a module of their own so the CLI can show them as option defaults
without importing the engine (numpy, pandas, the rules)."""

from __future__ import annotations

DEFAULT_RULE_TIME_LIMIT_S = 30.0
