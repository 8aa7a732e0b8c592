"""Real browser: no English word and no developer string on a Vietnamese page.

Signed in in Vietnamese, every page a role opens (the leader's, the admin's data status,
the presentation screen's kiosk) is scanned for what a reader sees: the visible text,
the `title`, `aria-label`, `placeholder` and `alt` of visible elements (what a tooltip
or a screen reader says), the toolbar a table shows under the pointer, and Streamlit's
⋮ main menu when there is one. A leak is a word of the list below (Streamlit's built-in
English), or a developer string (a file name, a command, a snake_case id, a URL
parameter, an unformatted placeholder)."""

from __future__ import annotations

import re

import pytest

from ui.controls import PARAM_CONTROLS, bad_value_notice

from .conftest import close, open_page

pytestmark = pytest.mark.browser

# English UI words Streamlit (or a careless label) could put on a page, matched as whole
# words, case as written: Vietnamese text has none of them.
ENGLISH = (
    "Print", "Record", "Record screen", "Settings", "Deploy", "Rerun", "Always rerun", "Clear cache", "Download",
    "Download as CSV", "View", "Source", "Copy", "Made with Streamlit", "Streamlit", "Loading", "Running", "Stop",
    "Press Enter", "Choose an option", "Choose options", "No results", "Select all", "Search", "Show", "Hide",
    "Close", "fullscreen", "Fullscreen", "Main menu", "Developer options", "Report a bug", "Get help", "About",
    "Theme", "System", "Light", "Dark", "Sort", "Ascending", "Descending", "Expand", "Collapse", "Clear", "Reset",
    "Open", "Submit", "Cancel", "Save", "Edit", "Delete", "Add", "Export", "Share", "Help", "Connecting",
    "Please wait", "Page not found", "Select", "Enter", "Error", "Exception", "Traceback", "Warning",
    "None", "NaN", "NaT", "nan", "null", "undefined", "True", "False", "Invalid", "Chart", "Table",
    "Vega", "Vega-Lite", "spec", "Keyboard", "sidebar", "Sidebar",
)
_ENGLISH = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True))
                      + r")(?!\w)")
DEVELOPER = {
    "file name": re.compile(r"\w\.(?:py|toml|sqlite|db|json|ya?ml)\b"),
    "command": re.compile(r"\bpython3?\s+-m\b|\bstreamlit run\b|\bpip install\b"),
    "identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),          # on_time_rate, procedures.on_time
    "URL parameter": re.compile(r"(?<![\w/])(?:lang|period|from|to|unit|structure|kiosk|slides|interval|embed)="),
    "placeholder": re.compile(r"\{[a-z_]+\}"),
    "icon code": re.compile(r":material/"),
}

# What the reader sees, collected in the page. Text nodes, not `innerText`: a Material
# icon is a font ligature whose text ("schedule", "light_mode") no reader sees; what is
# hidden from screen readers (`aria-hidden`) is not read either.
_COLLECT = """() => {
  const hidden = (el) => !el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})
    || el.closest('[data-testid="stIconMaterial"], [aria-hidden="true"], script, style, noscript, template')
    || getComputedStyle(el).fontFamily.includes('Material Symbols');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (text && !hidden(node.parentElement)) out.push(text);
  }
  const charts = [];
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    if (hidden(el)) continue;
    const into = el.closest('[data-testid="stVegaLiteChart"] svg') ? charts : out;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) into.push(value);
    }
  }
  return {texts: out, charts};
}"""


def visible_texts(page, charts: bool = False) -> list[str]:
    """What the page shows and says; `charts`: the descriptions Vega writes for a screen
    reader into a chart's marks and legends instead (every field of the mark's row)."""
    return page.evaluate(_COLLECT)["charts" if charts else "texts"]


def leaks(texts: list[str]) -> list[str]:
    """Each English word or developer string found, with the text it was found in."""
    found = []
    for text in dict.fromkeys(texts):
        for match in _ENGLISH.finditer(text):
            found.append(f"{match.group(0)!r} in {text[:120]!r}")
        for kind, pattern in DEVELOPER.items():
            for match in pattern.finditer(text):
                found.append(f"{kind} {match.group(0)!r} in {text[:120]!r}")
    return found


def scan(page, charts: bool = False) -> list[str]:
    """The page as it opens, with every table's toolbar shown (the pointer on the table),
    and the main menu opened when the page has one; `charts`: the charts' descriptions."""
    if charts:
        return leaks(visible_texts(page, charts=True))
    texts = visible_texts(page)
    tables = page.locator('[data-testid="stDataFrame"]')
    for index in range(tables.count()):
        table = tables.nth(index)
        if table.is_visible():
            table.scroll_into_view_if_needed()
            table.hover()
            page.wait_for_timeout(150)                # the toolbar fades in
            texts += visible_texts(page)
    menu = page.locator('[data-testid="stMainMenu"] button')
    if menu.count() and menu.first.is_visible():
        menu.first.click()
        page.locator('[data-testid="stMainMenuPopover"], [role="menu"]').first.wait_for(timeout=5000)
        texts += visible_texts(page)
        page.keyboard.press("Escape")
    return leaks(texts)


# Every page of the app in Vietnamese: (path, role, what shows it is drawn) — the sign-in
# form, the leader's pages, the admin's data status, the notifications page (a unit
# head's, an admin's), the presentation screen's kiosk, and links with a bad value in
# every parameter (their notices name the control).
PAGES = {
    "signin": ("?lang=vi", None, '[data-testid="stForm"]'),
    "overview": ("?lang=vi", "lanhdao", '[data-testid="stMetricValue"]'),
    "procedures": ("procedures?lang=vi", "lanhdao", "h1"),
    "tasks": ("tasks?lang=vi", "lanhdao", "h1"),
    "emulation": ("emulation?lang=vi", "lanhdao", "h1"),
    "presentation": ("presentation?lang=vi", "lanhdao", "h1"),
    "reports": ("reports?lang=vi", "lanhdao", "h1"),
    "data_status": ("data_status?lang=vi", "admin", "h1"),
    "notifications": ("notifications?lang=vi", "ks", "h1"),
    "notifications of another user": ("notifications?lang=vi", "admin", "h1"),
    "kiosk": ("presentation?kiosk=1&lang=vi", "trinhchieu", ".ioc-screen.kiosk"),
    "bad link": ("tasks?lang=vi&period=decade&unit=NOPE&structure=old", "lanhdao", '[data-testid="stAlert"]'),
    "bad kiosk link": ("presentation?lang=vi&slides=nope&interval=1", "lanhdao", '[data-testid="stAlert"]'),
}


def test_the_word_list_catches_what_it_names():
    assert leaks(["Made with Streamlit v1.67.0"]) and leaks(["procedures.on_time_rate"])
    assert leaks(["Tham số “period=” không hợp lệ"]) and leaks(["python -m reports (xem README)"])
    assert leaks(["Choose an option"]) and leaks(["Download as CSV"]) and leaks(["None"])
    assert leaks(["Help for Hồ sơ tiếp nhận"]) and leaks(["{period}"]) and leaks(["app.py"])
    assert not leaks(["Tỷ lệ giải quyết đúng hạn 95,4%", "Kỳ báo cáo: Năm nay", "Đơn vị", "In trang này",
                      "Giải thích: Hồ sơ tiếp nhận", "Số liệu lúc 10:00 02/12/2026"])


def test_a_notice_about_a_link_names_the_control():
    assert bad_value_notice("period", "vi") == \
        "Giá trị “Kỳ báo cáo” trong đường dẫn không hợp lệ, đã dùng giá trị mặc định."
    assert "“Thời gian mỗi trang (giây)”" in bad_value_notice("interval", "vi")
    assert "“Period”" in bad_value_notice("period", "en")
    for name in PARAM_CONTROLS:
        assert not leaks([bad_value_notice(name, "vi")]), name


def test_no_english_or_developer_text_on_a_vietnamese_page(server, browser):
    found, notices = {}, {}
    for name, (path, user, ready) in PAGES.items():
        page = open_page(browser, f"{server}/{path}", user=user, width=1440, height=900, wait_for=ready)
        # Streamlit's ⋮ menu is off (.streamlit/config.toml): its items are English only.
        assert page.locator('[data-testid="stMainMenu"]').count() == 0, name
        if user and name != "kiosk":
            assert page.locator(".ioc-print").inner_text() == "In trang này", name
        found[name] = scan(page)
        notices[name] = page.locator('[data-testid="stAlert"]').all_inner_texts()
        close(page)
    leaked = {name: sorted(set(items)) for name, items in found.items() if items}
    assert not leaked, "English or developer text on a Vietnamese page:\n" + "\n".join(
        f"{name}: {item}" for name, items in leaked.items() for item in items)
    said = " ".join(notices["bad link"])
    for control in ("Kỳ báo cáo", "Đơn vị", "Cơ cấu tổ chức"):
        assert f"“{control}”" in said, (control, said)
    said = " ".join(notices["bad kiosk link"])
    assert "“Các trang trình chiếu”" in said and "“Thời gian mỗi trang (giây)”" in said, said


def test_a_chart_reads_no_raw_field_to_a_screen_reader(server, browser):
    # Vega describes each mark with its frame's fields ("label_x: 1.03; status: …");
    # ui.charts.draw silences marks and axes, the tooltips stay in Vietnamese.
    leaked, drawn = {}, {}
    for name in ("overview", "procedures", "tasks", "emulation"):
        path, user, ready = PAGES[name]
        page = open_page(browser, f"{server}/{path}", user=user, width=1440, height=900, wait_for=ready)
        page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(timeout=30000)
        drawn[name] = page.locator('[data-testid="stVegaLiteChart"] svg').count()
        leaked[name] = sorted(set(scan(page, charts=True)))[:5]
        close(page)
    assert all(drawn.values()), drawn
    assert not any(leaked.values()), leaked
