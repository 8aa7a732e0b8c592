"""Data layer of the leadership operations dashboard: connections to the three source
databases, their reporting schema, the KPI engine, demo data and the command line.

Importing it opens nothing: engines are created on first query."""
