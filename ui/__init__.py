"""Shared pieces of the Streamlit pages: strings, formats, cached data, KPI cards."""
