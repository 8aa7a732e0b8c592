"""Reports: the KPI report for the Government's operations centre (the signed document
as PDF, the workbook, the contract's JSON and CSV) for the chosen period, and the
six-monthly or year-end emulation report for the Minister (PDF, XLSX). The document's
number, signer, place, addressee and recipients are fields here, prefilled from the
settings; a field left empty stays blank on the document, for the office to fill in by
hand. Files are built when asked for, in the user's scope, and every download is
written to the audit log."""

import streamlit as st

from data_access import catalogue, emulation
from data_access.model import Scope
from l10n import fmt
from l10n.i18n import enum, t
from reports import document
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


def document_fields(kind: str) -> document.Fields:
    """The document's fields, drawn folded, prefilled from the settings (`kind`'s own number,
    addressee and recipients; the shared signer and place)."""
    preset = document.from_settings(kind)
    with st.expander(t("reports_page.doc_fields", lang), icon=":material/edit_document:"):
        st.caption(t("reports_page.doc_fields_note", lang))
        left, right = st.columns(2)
        number = left.text_input(t("reports_page.field_number", lang), value=preset.number, key=f"w_{kind}_number",
                                 help=t("reports_page.field_number_help", lang, symbol=preset.symbol))
        place = right.text_input(t("reports_page.field_place", lang), value=preset.place, key=f"w_{kind}_place")
        signer_title = left.text_input(t("reports_page.field_signer_title", lang), value=preset.signer_title,
                                       key=f"w_{kind}_signer_title",
                                       help=t("reports_page.field_signer_title_help", lang))
        signer_name = right.text_input(t("reports_page.field_signer_name", lang), value=preset.signer_name,
                                       key=f"w_{kind}_signer_name")
        addressee = left.text_input(t("reports_page.field_addressee", lang),
                                    value=preset.addressee or document.default_addressee(kind, lang),
                                    key=f"w_{kind}_addressee")
        recipients = right.text_area(
            t("reports_page.field_recipients", lang),
            value="\n".join(preset.recipients or document.default_recipients(kind, lang)),
            key=f"w_{kind}_recipients", height=120)
    return preset.with_(number=number.strip(), place=place.strip(), signer_title=signer_title.strip(),
                        signer_name=signer_name.strip(), addressee=addressee.strip(),
                        recipients=document.split_recipients(recipients))


# The files are built only when clicked, outside the script run: everything a build
# needs is given to it when its button is drawn.
def government_file(kind: str, result: dict, lang: str, sources, fields: document.Fields):
    def build() -> bytes:
        from reports import government as g

        if kind in ("xlsx", "pdf"):
            # the names the command line's copy reads too (units, blocks, the ministry)
            context = g.context(sources, result)
            if kind == "xlsx":
                return g.to_xlsx(result, lang, context.unit_names, context.ministry, fields)
            return g.to_pdf(result, lang, context, fields)
        return g.to_json(result) if kind == "json" else g.to_csv(result)
    return build


def emulation_file(kind: str, sources, year: int, code: str, as_of, scope: Scope, lang: str,
                   fields: document.Fields):
    def build() -> bytes:
        from reports import emulation_report as er

        rep = er.report(sources, year, code, as_of, scope)
        return er.to_xlsx(rep, lang, fields=fields) if kind == "xlsx" else er.to_pdf(rep, lang, fields=fields)
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
    rows = []
    for kpi_id, value in result["kpis"].items():
        if kpi_id not in cat.kpis:
            continue
        kpi = cat[kpi_id]
        status = kpi.status(value)
        rows.append({"name": kpi.name(lang), "value": fmt.kpi_value(value, kpi.unit, lang),
                     "target": fmt.kpi_value(kpi.target, kpi.unit, lang) if kpi.target is not None else "",
                     "status": t(f"status_{status}", lang) if status else ""})
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "name": st.column_config.TextColumn(t("reports_page.col_name", lang)),
        "value": st.column_config.TextColumn(t("reports_page.col_value", lang)),
        "target": st.column_config.TextColumn(t("reports_page.col_target", lang)),
        "status": st.column_config.TextColumn(t("reports_page.col_status", lang))})
    fields = document_fields("government")
    stem = t("reports_page.government_file", lang, start=period.start.isoformat(), end=period.end.isoformat())
    if unit:
        stem += f"_{unit}"
    sources = data.sources()
    offer([download(kind, stem, government_file(kind, result, lang, sources, fields), f"gov_{kind}", len(rows))
           for kind in ("pdf", "xlsx", "json", "csv")], lang)

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
        fields = document_fields("emulation")
        window = emulation.eval_window(year, code)
        stem = t("reports_page.emulation_file", lang, start=window.start.isoformat(), end=window.end.isoformat())
        if unit:
            stem += f"_{unit}"

        sources, scope = data.sources(), Scope(unit)
        offer([download(kind, stem, emulation_file(kind, sources, year, code, as_of, scope, lang, fields),
                        f"emu_{kind}", 1) for kind in ("pdf", "xlsx")], lang)
