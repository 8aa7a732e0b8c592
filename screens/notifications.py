"""Notifications ("Thông báo"): the e-mails the signed-in user receives (docs/alerts.md).
Their address from the users file, the rules of their role with a switch each, the
language of their messages; an administrator picks any account and changes its choices.
Choices are kept in the app's own database (`alerts.store`)."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

import auth
from alerts import rules as rules_mod
from alerts.store import Store
from auth.users import UserStore
from data_access import access
from l10n.i18n import LANGUAGE_NAMES, LANGUAGES, t
from ui import data, shell
from ui.text import plain

view = shell.view()
lang = view.lang
me = data.principal()

st.title(t("alerts.page_title", lang))
st.caption(t("alerts.page_intro", lang))

accounts = {u.username: u for u in UserStore(auth.config("users_file")).list()}
target = me.username
if me.role == "admin" and accounts:
    names = sorted(accounts)
    target = st.selectbox(t("alerts.account", lang), names, index=names.index(me.username) if me.username in names else 0,
                          format_func=lambda n: f"{accounts[n].name} ({n}, {t('signin.role_' + accounts[n].role, lang)})",
                          key="w_alert_account")
user = accounts.get(target)


def _panel() -> None:
    if user is None:
        st.info(t("alerts.no_address", lang), icon=":material/mail_off:")
        return
    if user.email and not user.disabled:
        st.markdown(":material/mail: " + plain(t("alerts.address", lang, email=user.email)))
    else:
        st.warning(t("alerts.no_address", lang), icon=":material/mail_off:")
    try:
        catalogue = rules_mod.load()
    except rules_mod.RuleError as exc:
        st.error(t("alerts.catalogue_failed", lang, error=str(exc)), icon=":material/error:")
        return
    who = access.Principal(user.username, user.role, user.unit)
    mine = [r for r in catalogue if r.applies_to(user.role, user.unit) and access.permits(who, r.level)]
    try:
        store = Store()
        opted = store.opted()
        chosen_lang = store.languages().get(user.username, "vi")
    except (SQLAlchemyError, OSError):
        st.error(t("alerts.store_failed", lang), icon=":material/error:")
        return
    if st.session_state.pop("_alerts_saved", None) == user.username:
        st.success(t("alerts.saved", lang), icon=":material/check:")
    with st.form(f"alerts_form_{user.username}", border=True):
        new_lang = st.radio(t("alerts.language", lang), LANGUAGES, index=LANGUAGES.index(chosen_lang)
                            if chosen_lang in LANGUAGES else 0, format_func=LANGUAGE_NAMES.__getitem__,
                            horizontal=True, key=f"w_alert_lang_{user.username}")
        st.subheader(t("alerts.rules", lang))
        if not mine:
            st.caption(t("alerts.no_rules", lang))
        switches = {r.id: st.toggle(r.name(lang), value=opted.get((user.username, r.id), True),
                                    help=t("alerts.rule_help", lang), key=f"w_alert_{user.username}_{r.id}")
                    for r in mine}
        if st.form_submit_button(t("alerts.save", lang), icon=":material/save:"):
            try:
                now = auth.clock()
                for rule_id, on in switches.items():
                    if on != opted.get((user.username, rule_id), True):
                        store.set_subscription(user.username, rule_id, on, now, me.username)
                if new_lang != chosen_lang:
                    store.set_language(user.username, new_lang, now)
            except (SQLAlchemyError, OSError):
                st.error(t("alerts.store_failed", lang), icon=":material/error:")
                return
            st.session_state["_alerts_saved"] = user.username
            st.rerun()


_panel()
