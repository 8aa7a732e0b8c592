"""Every tabular file the product writes — CSV and XLSX downloads, the Government report,
the emulation report, the audit log, the command lines' CSV — goes through this package,
so that a value from a source or a user is written as inert data: never a formula a
spreadsheet would run, numbers kept as numbers."""
