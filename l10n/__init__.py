"""User-facing strings (one catalogue per language) and number/date formatting,
shared by the app (`ui/`) and the files it writes (`reports/`)."""
