"""Reminders, alerts and scheduled reports by e-mail (`python -m alerts`, docs/alerts.md):
rules from `config/alerts.toml`, messages built from the engine's figures in each
recipient's scope, an outbox in the app's own database that sends each message once."""
