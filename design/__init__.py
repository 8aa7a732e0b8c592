"""Visual design shared by the app (ui/, .streamlit/config.toml) and the reports
(reports/): the colour palette in `design.palette`. It imports nothing of either, so
reports never depend on Streamlit."""
