"""The reporting schema (docs/schema.md) as SQLAlchemy Core tables.

The same definitions create the demo databases and build every query. No foreign-key
constraints are declared: the sources are other systems' tables or views, and a row
pointing nowhere is a data-quality finding (`python -m data_access check`), not an
insert failure.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.dialects import mysql

# MySQL/MariaDB DATETIME drops fractions of a second unless asked to keep them.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
Flag = Boolean(create_constraint=False)

DOSSIER_STATUSES = ("processing", "supplement_requested", "approved", "rejected", "withdrawn")
FINISHED_STATUSES = ("approved", "rejected")
CLOSED_STATUSES = ("approved", "rejected", "withdrawn")
CHANNELS = ("online", "in_person", "postal")
APPLICANT_TYPES = ("citizen", "business", "organization")
FIELDS = (
    "land", "environment", "water", "minerals", "geology", "hydrometeorology",
    "survey_mapping", "sea_islands", "remote_sensing", "climate_change",
    "crops_plant_protection", "livestock_veterinary", "fisheries", "forestry", "irrigation", "dykes_disasters",
    "other",
)
SERVICE_LEVELS = ("full_online", "partial_online", "offline")
UNIT_KINDS = (
    "ministry", "office", "department", "directorate", "inspectorate", "agency",
    "institute", "provincial_department",
)
TASK_SOURCES = ("government", "prime_minister", "ministry_leaders", "other")
TASK_CATEGORIES = ("legal_document", "scheme", "report", "other")
TASK_PRIORITIES = ("normal", "urgent")
EVALUATION_PERIODS = ("H1", "FY")
RECIPIENT_KINDS = ("collective", "individual")
AWARD_TITLES = (
    "emulation_flag", "certificate_of_merit", "excellent_collective", "advanced_collective",
    "emulation_fighter", "grassroots_emulation_fighter", "advanced_worker", "other",
)


# Columns and tables a source may leave out (docs/schema.md, "Units over time"): the app
# reads them when they are there, and behaves as if every unit were always valid and no
# succession existed when they are not.
OPTIONAL_UNIT_COLUMNS = ("valid_from", "valid_to")
SUCCESSION_KINDS = ("rename", "merge", "split", "transfer")


def _units(metadata: MetaData) -> Table:
    return Table(
        "units", metadata,
        Column("code", String(32), primary_key=True),
        Column("name_vi", String(255), nullable=False),
        Column("name_en", String(255)),
        Column("parent_code", String(32)),
        Column("kind", String(32)),
        Column("valid_from", Date),              # optional: first day the unit existed
        Column("valid_to", Date),                # optional: last day the unit existed
    )


def _successions(metadata: MetaData) -> Table:
    return Table(
        "unit_successions", metadata,
        Column("predecessor_code", String(32), nullable=False),
        Column("successor_code", String(32), nullable=False),
        Column("effective_on", Date, nullable=False),
        Column("kind", String(16), nullable=False),
        Column("inherits_history", Flag, nullable=False),
        Column("legal_basis", String(255)),
        PrimaryKeyConstraint("predecessor_code", "successor_code"),
        info={"optional": True},
    )


# --- Procedures database -------------------------------------------------------------
procedures_metadata = MetaData()
units = _units(procedures_metadata)
unit_successions = _successions(procedures_metadata)

procedures = Table(
    "procedures", procedures_metadata,
    Column("code", String(32), primary_key=True),
    Column("name_vi", String(500)),
    Column("name_en", String(500)),
    Column("field", String(32)),
    Column("unit_code", String(32)),
    Column("legal_days", Integer),
    Column("service_level", String(16)),
)

dossiers = Table(
    "dossiers", procedures_metadata,
    Column("id", String(40), primary_key=True),
    Column("procedure_code", String(32)),
    Column("unit_code", String(32)),
    Column("received_at", Timestamp, nullable=False),
    Column("due_at", Timestamp, nullable=False),
    Column("finished_at", Timestamp),
    Column("status", String(24), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("applicant_type", String(16)),
    Column("digitized", Flag, nullable=False),
    Column("synced_national", Flag, nullable=False),
    Column("fee_amount", Numeric(14, 0), nullable=False),
    Column("paid_online", Flag, nullable=False),
    Column("rating", SmallInteger),
    Index("ix_dossiers_received_at", "received_at"),
    Index("ix_dossiers_finished_at", "finished_at"),
    Index("ix_dossiers_unit_received", "unit_code", "received_at"),
    Index("ix_dossiers_status", "status"),
)

# --- Tasks database ------------------------------------------------------------------
tasks_metadata = MetaData()
_units(tasks_metadata)
_successions(tasks_metadata)

tasks = Table(
    "tasks", tasks_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ref", String(120)),
    Column("title_vi", String(1000), nullable=False),
    Column("title_en", String(1000)),
    Column("source", String(24), nullable=False),
    Column("category", String(24), nullable=False),
    Column("lead_unit_code", String(32)),
    Column("assigned_by", String(255)),
    Column("assigned_at", Timestamp, nullable=False),
    Column("due_date", Date),
    Column("completed_at", Timestamp),
    Column("cancelled", Flag, nullable=False),
    Column("progress_pct", SmallInteger),
    Column("priority", String(16)),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_tasks_assigned_at", "assigned_at"),
    Index("ix_tasks_due_date", "due_date"),
)

task_updates = Table(
    "task_updates", tasks_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("task_id", Integer),
    Column("reported_at", Timestamp, nullable=False),
    Column("progress_pct", SmallInteger),
    Column("note", String(2000)),
    Index("ix_task_updates_task", "task_id"),
)

# --- Emulation database --------------------------------------------------------------
emulation_metadata = MetaData()
_units(emulation_metadata)
_successions(emulation_metadata)

movements = Table(
    "movements", emulation_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("year", Integer, nullable=False),
    Column("name_vi", String(500)),
    Column("name_en", String(500)),
    Column("theme_vi", String(500)),
    Column("theme_en", String(500)),
    Column("start_date", Date),
    Column("end_date", Date),
)

blocks = Table(
    "blocks", emulation_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("movement_id", Integer),
    Column("name_vi", String(500)),
    Column("name_en", String(500)),
)

block_members = Table(
    "block_members", emulation_metadata,
    Column("block_id", Integer, nullable=False),
    Column("unit_code", String(32), nullable=False),
    PrimaryKeyConstraint("block_id", "unit_code"),
)

criteria = Table(
    "criteria", emulation_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("movement_id", Integer),
    Column("content_no", SmallInteger),
    Column("name_vi", String(500)),
    Column("name_en", String(500)),
    Column("max_points", Numeric(6, 2), nullable=False),
    Column("metric", String(64)),
)

evaluations = Table(
    "evaluations", emulation_metadata,
    Column("movement_id", Integer, nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("criterion_id", Integer, nullable=False),
    Column("period", String(2), nullable=False),
    Column("points", Numeric(6, 2)),
    Column("evaluated_at", Timestamp),
    PrimaryKeyConstraint("movement_id", "unit_code", "criterion_id", "period"),
)

awards = Table(
    "awards", emulation_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("movement_id", Integer),
    Column("unit_code", String(32)),
    Column("recipient_kind", String(16)),
    Column("recipient_name", String(255)),
    Column("title", String(48)),
    Column("decision_no", String(64)),
    Column("decided_on", Date, nullable=False),
)

METADATA = {
    "procedures": procedures_metadata,
    "tasks": tasks_metadata,
    "emulation": emulation_metadata,
}


def optional(table: Table) -> bool:
    """A table a source may leave out (its absence is not a finding)."""
    return bool(table.info.get("optional"))


def table(source: str, name: str) -> Table:
    """A source's table by name; `units` exists in each of the three databases."""
    return METADATA[source].tables[name]
