"""Presentation: the slides for the conference screen. With `?kiosk=1` nothing but the
slide fills the screen, turning every `interval` seconds on the clock (every screen of
the same link shows the same slide) and refreshing its figures on its own; otherwise the slides can be chosen, previewed, opened full screen and
downloaded as a PPTX or PDF deck."""

import streamlit as st

from data_access.model import Period, Scope
from l10n.i18n import t
from reports.slides import SLIDE_KEYS, parse_keys
from ui import data, kiosk, shell
from ui.controls import bad_value_notice
from ui.tables import Download, offer


def deck(kind: str, sources, period: Period, as_of, scope: Scope, lang: str, keys: tuple[str, ...]):
    """The deck's bytes, built only when clicked, outside the script run: everything it
    needs is given here."""
    def build() -> bytes:
        from reports import deck as decks
        from reports import slides as model

        from data_access import figures
        from data_access.db import SourceError

        made = model.build(sources, period, as_of, scope, lang, keys)
        try:
            ministry = figures.ministry_name(sources, as_of.date())
        except SourceError:
            ministry = None               # the built-in name; the slides say what is missing
        meta = model.meta(period, as_of, scope, lang, ministry=ministry)
        return decks.pptx_bytes(made, meta) if kind == "pptx" else decks.pdf_bytes(made, meta)
    return build


view = shell.view()
lang = view.lang
request = kiosk.read_request(st.query_params, SLIDE_KEYS, parse_keys)
keys, interval = request.keys, request.interval

if request.kiosk:
    kiosk.hide_chrome()
else:
    st.title(t("presentation.title", lang))
    st.caption(t("presentation.intro", lang))
    for name in request.bad:
        st.warning(bad_value_notice(name, lang), icon=":material/link_off:")
    left, right = st.columns([3, 1])
    chosen = left.multiselect(t("presentation.slides", lang), SLIDE_KEYS, default=list(keys), key="w_slides",
                              format_func=lambda k: t(f"presentation.slide_names.{k}", lang))
    interval = right.number_input(t("presentation.interval", lang), kiosk.INTERVAL_MIN, kiosk.INTERVAL_MAX,
                                  value=interval, step=5, key="w_interval")
    keys = tuple(chosen) or SLIDE_KEYS          # in the order chosen
    kiosk_query = {**view.query(), "kiosk": "1", "slides": ",".join(keys), "interval": str(interval)}
    st.query_params.update({"slides": ",".join(keys), "interval": str(interval)})

    buttons = st.container(horizontal=True, gap="small")
    buttons.page_link("screens/presentation.py", label=t("presentation.open_kiosk", lang), query_params=kiosk_query,
                      icon=":material/slideshow:")
    start, end, unit = view.period.start, view.period.end, data.granted_unit(view.unit)
    as_of = data.as_of_now()
    stem = t("presentation.deck_file", lang, start=start.isoformat(), end=end.isoformat())

    period, scope, sources = Period(start, end), Scope(unit), data.sources()
    offer([Download(t(f"presentation.download_{kind}", lang), f"{stem}.{kind}",
                    deck(kind, sources, period, as_of, scope, lang, keys), f"deck_{kind}", len(keys), icon)
           for kind, icon in (("pptx", ":material/slideshow:"), ("pdf", ":material/picture_as_pdf:"))],
          lang, row=buttons)


# The browser turns the slides on the clock (see `kiosk.rotation_css`); the script reruns
# only to refresh the figures, once a minute.
@st.fragment(run_every=shell.refresh_every())
def rotate() -> None:
    as_of = data.as_of_now()
    outcome = data.slides(view.period.start, view.period.end, view.unit, keys, lang, as_of=as_of)
    if shell.source_problem(outcome, lang) or not outcome.value:
        return
    kiosk.show(outcome.value, lang, interval, ministry=data.ministry(lang), kiosk=request.kiosk)


rotate()
