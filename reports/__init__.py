"""Files made from the KPI engine: the slide deck (PPTX/PDF), the Government KPI report
(JSON/CSV/XLSX) and the emulation report for the Minister (XLSX/PDF). Nothing here
imports Streamlit: the app, the command line and the tests use the same builders."""

from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_FAMILY = "DejaVu Sans"
