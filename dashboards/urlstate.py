"""Page state in the URL's query string, so a shared link reopens exactly what was shown.

A page *binds* a widget key to a query parameter before it creates the widget. When the URL carries a
value the dashboard did not write itself (a link opened in a new browser, the back button, a hand
edit), that value seeds the widget; after the page has run, :func:`publish` writes every bound
widget's value back to the query string. Values that are not among a widget's options are dropped,
so a stale link never raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

import streamlit as st

Kind = Literal["str", "list", "int", "float", "bool"]
_BINDINGS = "_url_bindings"    # widget key -> Binding, reset at every run
_PUBLISHED = "_url_published"  # query string the dashboard wrote last
_KEPT = "_url_kept"  # widget key -> its value when last drawn (``bind`` restores it)
ANY = "-"  # the "no filter" choice of a select box: left out of the URL


@dataclass(frozen=True)
class Binding:
    param: str
    kind: Kind


def start_run() -> None:
    """Forget the previous run's bindings: only widgets drawn in this run belong to the URL."""
    st.session_state[_BINDINGS] = {}


def _parse(raw: str, kind: Kind) -> object:
    if kind == "list":
        return [part for part in raw.split(",") if part]
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "bool":
        return raw in {"1", "true", "yes"}
    return raw


def _dump(value: object, kind: Kind) -> str | None:
    if value is None or value == [] or value in ("", ANY):
        return None
    if kind == "list":
        return ",".join(str(v) for v in value)  # type: ignore[union-attr]
    if kind == "bool":
        return "1" if value else "0"
    if kind == "float" and float(value) == int(float(value)):  # type: ignore[arg-type]
        return str(int(float(value)))  # type: ignore[arg-type]
    return str(value)


def url_value(param: str) -> str | None:
    """The query parameter as the URL has it now (None when absent)."""
    value = st.query_params.get(param)
    return value if value else None


def _changed_outside(param: str) -> bool:
    return url_value(param) != st.session_state.get(_PUBLISHED, {}).get(param)


def _allowed(value: object, kind: Kind, options: Iterable[object] | None) -> tuple[bool, object]:
    """``value`` restricted to ``options`` (a list keeps its allowed items): (usable, value)."""
    if options is None:
        return True, value
    lookup = {str(o): o for o in options}
    if kind == "list":
        return True, [lookup[str(v)] for v in value if str(v) in lookup]  # type: ignore[union-attr]
    return (True, lookup[str(value)]) if str(value) in lookup else (False, value)


def bind(key: str, param: str, kind: Kind = "str", options: Iterable[object] | None = None) -> str:
    """Register ``key`` under ``param`` and seed it from the URL when the URL changed outside the app, else,
    when the widget was not drawn in the last run (its tab was closed, or another page was shown), with the
    value it had when last drawn: Streamlit forgets the value of a widget it did not draw."""
    st.session_state.setdefault(_BINDINGS, {})[key] = Binding(param, kind)
    options = None if options is None else list(options)
    raw = url_value(param)
    if raw is not None and _changed_outside(param):
        try:
            usable, value = _allowed(_parse(raw, kind), kind, options)
        except ValueError:
            return key  # a malformed number in a hand-edited link: keep the widget's default
        if usable:
            st.session_state[key] = value
        return key
    kept = st.session_state.get(_KEPT, {})
    if key not in st.session_state and key in kept:
        usable, value = _allowed(kept[key], kind, options)
        if usable:
            st.session_state[key] = value
    return key


def current_params(page: str, lang: str) -> dict[str, str]:
    """The query string that describes this run: language, page and every bound widget."""
    params = {"lang": lang, "page": page}
    for key, binding in st.session_state.get(_BINDINGS, {}).items():
        if key in st.session_state:
            dumped = _dump(st.session_state[key], binding.kind)
            if dumped is not None:
                params[binding.param] = dumped
    return params


def publish(page: str, lang: str) -> dict[str, str]:
    """Write the run's state to the query string (only when it changed, so history is not flooded)."""
    params = current_params(page, lang)
    kept = st.session_state.setdefault(_KEPT, {})
    kept.update({key: st.session_state[key] for key in st.session_state.get(_BINDINGS, {}) if key in st.session_state})
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state[_PUBLISHED] = params
    return params


def share_link(params: dict[str, str]) -> str:
    """An absolute link to this state, for the "copy link" box."""
    base = ""
    try:
        base = (st.context.url or "").split("?", 1)[0]
    except AttributeError:  # AppTest has no browser URL
        base = ""
    return f"{base}?{urlencode(params)}"
