"""Reports: the KPI report for the Government's operations centre (JSON of the
contract, CSV, XLSX) for the chosen period, and the six-monthly or year-end emulation
report for the Minister (XLSX, PDF). Files are built when asked for, in the user's
scope, and every download is written to the audit log."""

import streamlit as st

from data_access import catalogue
from data_access.model import Scope
from l10n import fmt
from l10n.i18n import enum, t
from ui import data, shell
from ui.tables import Download, offer
from ui.text import plain

view = shell.view()
lang = view.lang
period = view.period
unit = data.granted_unit(view.unit)
units = data.unit_names().value or {}
unit_label = units[unit][0 if lang == "vi" else 1] if unit in units else t("whole_ministry", lang)

ICON = {"json": ":material/data_object:", "csv": ":material/download:", "xlsx": ":material/table:",
        "pdf": ":material/picture_as_pdf:"}

st.title(t("reports_page.title", lang))
as_of = data.as_of_now()
shell.as_of_line(as_of, lang)


def download(kind: str, stem: str, build, key: str, rows: int) -> Download:
    return Download(t(f"reports_page.download_{kind}", lang), f"{stem}.{kind}", build, key, rows, ICON[kind])


# The files are built only when clicked, outside the script run: everything a build
# needs is given to it when its button is drawn.
def government_file(kind: str, result: dict, lang: str, units: dict, ministry: tuple[str, str] | None = None):
    def build() -> bytes:
        from reports import government as g

        if kind == "xlsx":
            return g.to_xlsx(result, lang, units, ministry=ministry)
        return g.to_json(result) if kind == "json" else g.to_csv(result)
    return build


def emulation_file(kind: str, sources, year: int, code: str, as_of, scope: Scope, lang: str, units: dict):
    def build() -> bytes:
        from reports import emulation_report as er

        rep = er.report(sources, year, code, as_of, scope)
        return er.to_xlsx(rep, lang, units) if kind == "xlsx" else er.to_pdf(rep, lang, units)
    return build


# --- the Government KPI report ---------------------------------------------------------------
st.header(t("reports_page.government", lang))
st.caption(t("reports_page.government_note", lang, start=fmt.date(period.start, lang),
             end=fmt.date(period.end, lang), scope=plain(unit_label)))
outcome = data.government_report(period.start, period.end, unit, as_of=as_of)
if not shell.source_problem(outcome, lang):
    result = outcome.value
    for source in result.get("unavailable", []):
        st.warning(t("reports_page.part_unavailable", lang, source=t(f"source_{source}", lang)),
                   icon=":material/cloud_off:")
    cat = catalogue.get()
    rows = [{"id": kpi_id, "name": cat[kpi_id].name(lang), "value": fmt.kpi_value(value, cat[kpi_id].unit, lang)}
            for kpi_id, value in result["kpis"].items() if kpi_id in cat.kpis]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "id": st.column_config.TextColumn(t("reports_page.col_id", lang)),
        "name": st.column_config.TextColumn(t("reports_page.col_name", lang)),
        "value": st.column_config.TextColumn(t("reports_page.col_value", lang))})
    stem = t("reports_page.government_file", lang, start=period.start.isoformat(), end=period.end.isoformat())
    if unit:
        stem += f"-{unit}"

    offer([download(kind, stem, government_file(kind, result, lang, units, data.ministry_names()), f"gov_{kind}", len(rows))
           for kind in ("json", "csv", "xlsx")], lang)

# --- the emulation report for the Minister ---------------------------------------------------
st.header(t("reports_page.emulation", lang))
left, right = st.columns(2)
this_year = as_of.year
year = left.selectbox(t("reports_page.year", lang), list(range(this_year, this_year - 4, -1)), key="w_report_year")
code = right.radio(t("reports_page.evaluation", lang), ("H1", "FY"), horizontal=True, key="w_report_code",
                   format_func=lambda c: enum("evaluation_period", c, lang))
found = data.movement(year)
if not shell.source_problem(found, lang):
    if found.value is None:
        st.info(t("reports_page.no_movement", lang, year=year), icon=":material/info:")
    else:
        st.markdown(f"**{plain(found.value['name_vi' if lang == 'vi' else 'name_en'] or found.value['name_vi'])}**")
        stem = t("reports_page.emulation_file", lang, year=year, code=code)
        if unit:
            stem += f"-{unit}"

        sources, scope = data.sources(), Scope(unit)
        offer([download(kind, stem, emulation_file(kind, sources, year, code, as_of, scope, lang, units),
                        f"emu_{kind}", 1) for kind in ("xlsx", "pdf")], lang)

st.caption(t("reports_page.cli_note", lang))
