"""Data-quality checks of the three source databases (`python -m data_access check`).

Each check is declared once in `CHECKS`: the source and table it inspects, a stable id,
a description in Vietnamese and English, and a builder that returns the SQL (Core, every
value bound) selecting one `id` per offending row. `check_all` runs, for each check, one
aggregate `COUNT` over that selection and, when it is not zero, one `LIMIT`ed query for a
few example ids. No table is ever read into Python.

A bad row is a finding, never a crash. A source that cannot be reached is one finding
(check `unreachable`, table ""), and its checks are skipped; a table or view that is
missing or unreadable is one finding (check `missing_table`), and only the checks that
read it are skipped; a check whose query fails (for instance a view lacking a column) is
one finding (check `query_failed`, the failed check named in the message). These three
kinds carry `count == 0` and no examples: they count no rows, they say the rows could
not be counted. The other sources are still checked in every case.

Units over time (docs/schema.md, "Units over time") are optional in a source: a check
that reads `unit_successions` or the columns `units.valid_from` / `valid_to` is skipped
silently where the source has no such table or columns (no `missing_table`, no
`query_failed`). The three succession rules (`succession_cycle`, `several_heirs`,
`unknown_unit_in_succession`) are those of `organisation.Organisation.findings`, read
with `organisation.load` (the table holds a few rows per reorganisation); they count the
succession rows involved, named `predecessor/successor`. Like every other check they
run in each database that has the table, on that database's own copy.

Conventions: a null code is not an orphan reference (only a code that points nowhere
is); a null enumeration value is a finding only where the schema says the column is
NOT NULL. Comparisons follow each engine's collation, as the KPIs do: on MariaDB with
its default case-insensitive collation 'Approved' is taken as 'approved' by both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from . import catalogue, organisation, schema
from .db import Database, SchemaMismatch, SourceError, Sources, SourceUnavailable
from .sqlfn import Sql

SOURCE_NAMES = ("procedures", "tasks", "emulation")

# Kinds of finding that are not a count of bad rows.
UNREACHABLE = "unreachable"
MISSING_TABLE = "missing_table"
QUERY_FAILED = "query_failed"


@dataclass(frozen=True)
class Finding:
    source: str        # "procedures" | "tasks" | "emulation"
    table: str
    check: str         # stable id, e.g. "status_finished_at_mismatch"
    message_vi: str    # Vietnamese description for the Data status page
    message_en: str
    count: int
    examples: tuple[str, ...]   # up to `examples` ids (str), sorted

    def as_dict(self) -> dict:
        out = asdict(self)
        out["examples"] = list(self.examples)
        return out


# A builder gets the dialect helper and returns a SELECT of one column labelled `id`,
# one row per offending row (or per duplicated id).
Builder = Callable[[Sql], sa.Select]


@dataclass(frozen=True)
class Check:
    id: str
    source: str
    table: str
    description_en: str
    description_vi: str
    build: Builder | None           # None: an organisation rule (`rule`), run in Python
    reads: tuple[str, ...] = ()     # other tables of the source the query reads
    sqlite_only: bool = False
    # Optional columns the query reads, as "table.column": without them the check is
    # skipped silently (schema.OPTIONAL_UNIT_COLUMNS).
    optional_columns: tuple[str, ...] = ()
    rule: str = ""                  # an `organisation.Finding.rule` this check reports

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table, *self.reads)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.table, self.id)


# --- expression helpers --------------------------------------------------------------
def _t(source: str, name: str) -> sa.Table:
    return schema.table(source, name)


def _unknown(column: sa.Column, allowed: tuple[str, ...]) -> ColumnElement:
    """A value outside an enumeration; null counts only for a NOT NULL column."""
    outside = column.not_in(list(allowed))
    if column.nullable:
        return sa.and_(column.is_not(None), outside)
    return sa.or_(column.is_(None), outside)


def _orphan(column: sa.Column, target: sa.Column) -> ColumnElement:
    """A non-null reference with no matching row in `target`'s table."""
    return sa.and_(column.is_not(None), ~sa.exists().where(target == column))


def _ids(id_column: ColumnElement, table: sa.Table, condition: ColumnElement) -> sa.Select:
    return sa.select(id_column.label("id")).select_from(table).where(condition)


def _rows_where(source: str, name: str, id_of: Callable[[sa.Table], ColumnElement],
                condition: Callable[[sa.Table, Sql], ColumnElement]) -> Builder:
    def build(sql: Sql) -> sa.Select:
        t = _t(source, name)
        return _ids(id_of(t), t, condition(t, sql))
    return build


def _duplicates(source: str, name: str, id_name: str) -> Builder:
    def build(sql: Sql) -> sa.Select:
        t = _t(source, name)
        col = t.c[id_name]
        return (sa.select(col.label("id")).select_from(t)
                .group_by(col).having(sa.func.count() > sa.literal(1, sa.Integer)))
    return build


def _text(column: ColumnElement) -> ColumnElement:
    return sa.cast(column, sa.String(64))


def _joined(*columns: ColumnElement) -> ColumnElement:
    """A composite key as 'a/b/c' text ('||' or CONCAT, as the dialect wants)."""
    expr = _text(columns[0])
    for col in columns[1:]:
        expr = expr + sa.literal("/", sa.String) + _text(col)
    return expr


def _unparseable(*names: str) -> Callable[[sa.Table, Sql], ColumnElement]:
    """SQLite: timestamp text that strftime cannot read (Sql.ts() gives NULL for it)."""
    def condition(t: sa.Table, sql: Sql) -> ColumnElement:
        return sa.or_(*(sa.and_(t.c[n].is_not(None), sql.ts(t.c[n]).is_(None)) for n in names))
    return condition


def _not_a_number(name: str) -> Callable[[sa.Table, Sql], ColumnElement]:
    """SQLite: a value in a numeric column that is not a number (Sql.number gives NULL)."""
    def condition(t: sa.Table, sql: Sql) -> ColumnElement:
        return sa.and_(t.c[name].is_not(None), sql.number(t.c[name]).is_(None))
    return condition


def _unparseable_date(name: str) -> Callable[[sa.Table, Sql], ColumnElement]:
    """SQLite: date text that date() cannot read."""
    def condition(t: sa.Table, sql: Sql) -> ColumnElement:
        return sa.and_(t.c[name].is_not(None), sql.date_of(t.c[name]).is_(None))
    return condition


def _by_code(t: sa.Table) -> ColumnElement:
    return t.c.code


def _by_id(t: sa.Table) -> ColumnElement:
    return t.c.id


def _units_kind(source: str) -> Check:
    return Check(
        "unknown_kind", source, "units",
        "unit kind not one of: " + ", ".join(schema.UNIT_KINDS),
        "Loại đơn vị (kind) không thuộc danh mục: " + ", ".join(schema.UNIT_KINDS),
        _rows_where(source, "units", _by_code, lambda t, sql: _unknown(t.c.kind, schema.UNIT_KINDS)),
    )


def _unit_ref(source: str, name: str, id_of, column: str = "unit_code", check_id: str = "unknown_unit_code") -> Check:
    def condition(t: sa.Table, sql: Sql) -> ColumnElement:
        return _orphan(t.c[column], _t(source, "units").c.code)
    return Check(
        check_id, source, name,
        f"{column} not found in units",
        f"Mã đơn vị ({column}) không có trong bảng units",
        _rows_where(source, name, id_of, condition), reads=("units",),
    )


def _enum(source: str, name: str, column: str, allowed: tuple[str, ...], what_vi: str, id_of=_by_id) -> Check:
    listed = ", ".join(allowed)
    return Check(
        f"unknown_{column}", source, name,
        f"{column} not one of: {listed}",
        f"{what_vi} ({column}) không thuộc danh mục: {listed}",
        _rows_where(source, name, id_of, lambda t, sql: _unknown(t.c[column], allowed)),
    )


# --- the checks ----------------------------------------------------------------------
_OPEN_STATUSES = tuple(s for s in schema.DOSSIER_STATUSES if s not in schema.CLOSED_STATUSES)


def _status_finished_mismatch(t: sa.Table, sql: Sql) -> ColumnElement:
    return sa.or_(
        sa.and_(t.c.status.in_(list(schema.CLOSED_STATUSES)), t.c.finished_at.is_(None)),
        sa.and_(t.c.status.in_(list(_OPEN_STATUSES)), t.c.finished_at.is_not(None)),
    )


def _procedure_ref(t: sa.Table, sql: Sql) -> ColumnElement:
    return _orphan(t.c.procedure_code, _t("procedures", "procedures").c.code)


def _task_ref(t: sa.Table, sql: Sql) -> ColumnElement:
    return _orphan(t.c.task_id, _t("tasks", "tasks").c.id)


def _criterion_ref(t: sa.Table, sql: Sql) -> ColumnElement:
    return _orphan(t.c.criterion_id, _t("emulation", "criteria").c.id)


def _evaluation_id(t: sa.Table) -> ColumnElement:
    return _joined(t.c.movement_id, t.c.unit_code, t.c.criterion_id, t.c.period)


def _member_id(t: sa.Table) -> ColumnElement:
    return _joined(t.c.block_id, t.c.unit_code)


def _succession_id(t: sa.Table) -> ColumnElement:
    return _joined(t.c.predecessor_code, t.c.successor_code)


# --- units over time -----------------------------------------------------------------
_VALIDITY = tuple(f"units.{c}" for c in schema.OPTIONAL_UNIT_COLUMNS)


def _day_after(sql: Sql, column: sa.Column) -> ColumnElement:
    """The day after a DATE column: a moment at or after its midnight is later than the
    whole of the column's day."""
    if sql.sqlite:
        return sa.func.date(column, sa.literal("+1 day", sa.String), type_=sa.String)
    if sql.dialect == "postgresql":
        return column + sa.literal(1, sa.Integer)                  # date + integer: a date
    return sa.func.adddate(column, sa.literal(1, sa.Integer), type_=sa.Date)


def _outside_validity(sql: Sql, moment: sa.Column, unit: sa.Table) -> ColumnElement:
    """`moment` (a timestamp) falls after the last day of `unit` (valid_to, the whole day
    counting) or before its first day (valid_from). NULL bounds are open."""
    if sql.sqlite:
        # Text against a 'YYYY-MM-DD' day bound is exact for every timestamp form; text
        # that is no timestamp is `unparseable_timestamp`'s, not this check's.
        raw = sa.type_coerce(moment, sa.String)
        return sa.and_(sa.or_(raw >= _day_after(sql, unit.c.valid_to),
                              raw < sa.func.date(unit.c.valid_from, type_=sa.String)),
                       sql.ts(moment).is_not(None))
    return sa.or_(moment >= _day_after(sql, unit.c.valid_to), moment < unit.c.valid_from)


def _recorded_outside_validity(source: str, name: str, unit_column: str, moment: str) -> Builder:
    """Rows of a fact table joined with `units` on their unit code, dated outside the
    unit's validity (a code not in `units` is `unknown_unit_code`'s)."""
    def build(sql: Sql) -> sa.Select:
        t, u = _t(source, name), _t(source, "units")
        return (sa.select(t.c.id.label("id"))
                .select_from(t.join(u, u.c.code == t.c[unit_column]))
                .where(_outside_validity(sql, t.c[moment], u)))
    return build


def _member_outside_validity(sql: Sql) -> sa.Select:
    """Block members of a movement whose year lies wholly after the unit's last day or
    wholly before its first day."""
    m, b, mv, units = (_t(_E, name) for name in ("block_members", "blocks", "movements", "units"))
    year = mv.c.year
    return (sa.select(_member_id(m).label("id"))
            .select_from(m.join(b, b.c.id == m.c.block_id)
                         .join(mv, mv.c.id == b.c.movement_id)
                         .join(units, units.c.code == m.c.unit_code))
            .where(sa.or_(year > sa.extract("year", units.c.valid_to),
                          year < sa.extract("year", units.c.valid_from))))


def _unit_checks(source: str) -> tuple[Check, ...]:
    """The checks of a source's `units` and `unit_successions` (each database has its own)."""
    def rule(check_id: str, en: str, vi: str) -> Check:
        return Check(check_id, source, "unit_successions", en, vi, None, reads=("units",), rule=check_id)

    kinds = ", ".join(schema.SUCCESSION_KINDS)
    return (
        _units_kind(source),
        Check("unparseable_date", source, "units",
              "valid_from or valid_to is text that is not a date (the bound is ignored)",
              "Ngày bắt đầu (valid_from) hoặc ngày kết thúc (valid_to) của đơn vị không phải là ngày hợp lệ "
              "(không được dùng)",
              _rows_where(source, "units", _by_code, lambda t, sql: sa.or_(
                  _unparseable_date("valid_from")(t, sql), _unparseable_date("valid_to")(t, sql))),
              sqlite_only=True, optional_columns=_VALIDITY),
        rule("succession_cycle",
             "successions with inherits_history true form a cycle: following the heirs from a unit leads "
             "back to it (its current unit stops at the first repeated code)",
             "Các quan hệ kế thừa (inherits_history) tạo thành vòng: đi theo đơn vị kế thừa lại quay về "
             "chính đơn vị ban đầu (đơn vị hiện hành dừng ở mã lặp lại đầu tiên)"),
        rule("several_heirs",
             "a predecessor has several successions with inherits_history true (the smallest successor_code "
             "inherits its records)",
             "Một đơn vị có nhiều đơn vị kế thừa hồ sơ (inherits_history); đơn vị có mã (successor_code) "
             "nhỏ nhất được dùng"),
        rule("unknown_unit_in_succession",
             "predecessor_code or successor_code not found in units",
             "Mã đơn vị trước hoặc sau sắp xếp (predecessor_code, successor_code) không có trong bảng units"),
        Check("unknown_kind", source, "unit_successions",
              f"succession kind not one of: {kinds}",
              f"Hình thức sắp xếp (kind) không thuộc danh mục: {kinds}",
              _rows_where(source, "unit_successions", _succession_id,
                          lambda t, sql: _unknown(t.c.kind, schema.SUCCESSION_KINDS))),
        Check("unparseable_date", source, "unit_successions",
              "effective_on is text that is not a date (the succession is not applied)",
              "Ngày có hiệu lực (effective_on) không phải là ngày hợp lệ (quan hệ kế thừa không được áp dụng)",
              _rows_where(source, "unit_successions", _succession_id, _unparseable_date("effective_on")),
              sqlite_only=True),
    )


_P, _T, _E = "procedures", "tasks", "emulation"

CHECKS: tuple[Check, ...] = (
    # procedures / dossiers
    Check("status_finished_at_mismatch", _P, "dossiers",
          "finished_at must be set exactly when status is approved, rejected or withdrawn",
          "Trạng thái và thời điểm kết thúc không khớp: finished_at phải có khi và chỉ khi "
          "hồ sơ đã giải quyết, từ chối hoặc rút",
          _rows_where(_P, "dossiers", _by_id, _status_finished_mismatch)),
    Check("finished_before_received", _P, "dossiers",
          "finished_at is earlier than received_at",
          "Thời điểm trả kết quả (finished_at) sớm hơn thời điểm tiếp nhận (received_at)",
          _rows_where(_P, "dossiers", _by_id,
                      lambda t, sql: sql.ts(t.c.finished_at) < sql.ts(t.c.received_at))),
    Check("due_before_received", _P, "dossiers",
          "due_at is earlier than received_at",
          "Hạn trả kết quả (due_at) sớm hơn thời điểm tiếp nhận (received_at)",
          _rows_where(_P, "dossiers", _by_id,
                      lambda t, sql: sql.ts(t.c.due_at) < sql.ts(t.c.received_at))),
    _enum(_P, "dossiers", "status", schema.DOSSIER_STATUSES, "Trạng thái hồ sơ"),
    _enum(_P, "dossiers", "channel", schema.CHANNELS, "Kênh tiếp nhận"),
    _enum(_P, "dossiers", "applicant_type", schema.APPLICANT_TYPES, "Loại người nộp"),
    Check("rating_out_of_range", _P, "dossiers",
          "rating outside 1-5",
          "Điểm đánh giá (rating) nằm ngoài khoảng 1–5",
          _rows_where(_P, "dossiers", _by_id, lambda t, sql: sa.or_(
              t.c.rating < sa.literal(1, sa.Integer), t.c.rating > sa.literal(5, sa.Integer)))),
    _unit_ref(_P, "dossiers", _by_id),
    Check("outside_unit_validity", _P, "dossiers",
          "received_at is after the last day (valid_to) or before the first day (valid_from) of its unit (unit_code)",
          "Hồ sơ được tiếp nhận (received_at) ngoài thời gian tồn tại của đơn vị (unit_code): sau ngày kết thúc "
          "valid_to hoặc trước ngày bắt đầu valid_from",
          _recorded_outside_validity(_P, "dossiers", "unit_code", "received_at"),
          reads=("units",), optional_columns=_VALIDITY),
    Check("unknown_procedure_code", _P, "dossiers",
          "procedure_code not found in procedures",
          "Mã thủ tục (procedure_code) không có trong bảng procedures",
          _rows_where(_P, "dossiers", _by_id, _procedure_ref), reads=("procedures",)),
    Check("duplicate_id", _P, "dossiers",
          "the same dossier id appears on more than one row",
          "Một số hiệu hồ sơ (id) xuất hiện ở nhiều dòng",
          _duplicates(_P, "dossiers", "id")),
    Check("unparseable_timestamp", _P, "dossiers",
          "received_at, due_at or finished_at is text that is not a timestamp",
          "received_at, due_at hoặc finished_at không phải là thời điểm hợp lệ",
          _rows_where(_P, "dossiers", _by_id, _unparseable("received_at", "due_at", "finished_at")),
          sqlite_only=True),
    Check("missing_received_at", _P, "dossiers",
          "received_at is empty (the dossier is left out of every KPI)",
          "Thời điểm tiếp nhận (received_at) bị trống (hồ sơ không được tính vào chỉ số nào)",
          _rows_where(_P, "dossiers", _by_id, lambda t, sql: t.c.received_at.is_(None))),
    Check("not_a_number", _P, "dossiers",
          "fee_amount is text that is not a number (counted as no fee)",
          "Lệ phí (fee_amount) không phải là số (được tính như không thu phí)",
          _rows_where(_P, "dossiers", _by_id, _not_a_number("fee_amount")), sqlite_only=True),
    # procedures / procedures
    _enum(_P, "procedures", "field", schema.FIELDS, "Lĩnh vực", id_of=_by_code),
    _enum(_P, "procedures", "service_level", schema.SERVICE_LEVELS, "Mức độ dịch vụ công", id_of=_by_code),
    _unit_ref(_P, "procedures", _by_code),
    *_unit_checks(_P),
    # tasks / tasks
    _enum(_T, "tasks", "source", schema.TASK_SOURCES, "Nguồn giao nhiệm vụ"),
    _enum(_T, "tasks", "category", schema.TASK_CATEGORIES, "Loại nhiệm vụ"),
    _enum(_T, "tasks", "priority", schema.TASK_PRIORITIES, "Mức độ ưu tiên"),
    _unit_ref(_T, "tasks", _by_id, column="lead_unit_code", check_id="unknown_lead_unit_code"),
    Check("outside_unit_validity", _T, "tasks",
          "assigned_at is after the last day (valid_to) or before the first day (valid_from) of its lead unit "
          "(lead_unit_code)",
          "Nhiệm vụ được giao (assigned_at) ngoài thời gian tồn tại của đơn vị chủ trì (lead_unit_code): sau ngày "
          "kết thúc valid_to hoặc trước ngày bắt đầu valid_from",
          _recorded_outside_validity(_T, "tasks", "lead_unit_code", "assigned_at"),
          reads=("units",), optional_columns=_VALIDITY),
    Check("completed_before_assigned", _T, "tasks",
          "completed_at is earlier than assigned_at",
          "Thời điểm hoàn thành (completed_at) sớm hơn thời điểm giao (assigned_at)",
          _rows_where(_T, "tasks", _by_id,
                      lambda t, sql: sql.ts(t.c.completed_at) < sql.ts(t.c.assigned_at))),
    Check("progress_out_of_range", _T, "tasks",
          "progress_pct outside 0-100",
          "Tiến độ (progress_pct) nằm ngoài khoảng 0–100",
          _rows_where(_T, "tasks", _by_id, lambda t, sql: sa.or_(
              t.c.progress_pct < sa.literal(0, sa.Integer), t.c.progress_pct > sa.literal(100, sa.Integer)))),
    Check("duplicate_id", _T, "tasks",
          "the same task id appears on more than one row",
          "Một mã nhiệm vụ (id) xuất hiện ở nhiều dòng",
          _duplicates(_T, "tasks", "id")),
    Check("unparseable_timestamp", _T, "tasks",
          "assigned_at, completed_at or updated_at is text that is not a timestamp",
          "assigned_at, completed_at hoặc updated_at không phải là thời điểm hợp lệ",
          _rows_where(_T, "tasks", _by_id, _unparseable("assigned_at", "completed_at", "updated_at")),
          sqlite_only=True),
    Check("missing_required", _T, "tasks",
          "title_vi or assigned_at is empty",
          "Tên nhiệm vụ (title_vi) hoặc thời điểm giao (assigned_at) bị trống",
          _rows_where(_T, "tasks", _by_id, lambda t, sql: sa.or_(t.c.title_vi.is_(None), t.c.assigned_at.is_(None)))),
    Check("unparseable_date", _T, "tasks",
          "due_date is text that is not a date",
          "Hạn xử lý (due_date) không phải là ngày hợp lệ",
          _rows_where(_T, "tasks", _by_id, _unparseable_date("due_date")), sqlite_only=True),
    # tasks / task_updates
    Check("unknown_task_id", _T, "task_updates",
          "task_id not found in tasks",
          "Mã nhiệm vụ (task_id) của báo cáo tiến độ không có trong bảng tasks",
          _rows_where(_T, "task_updates", _by_id, _task_ref), reads=("tasks",)),
    *_unit_checks(_T),
    # emulation
    Check("unknown_metric", _E, "criteria",
          "metric is set but is not a rate KPI the catalogue lets a criterion use (config/kpis.toml, criterion = true)",
          "Chỉ số tự động (metric) của tiêu chí không thuộc các chỉ số tỷ lệ được phép dùng làm tiêu chí "
          "(config/kpis.toml, criterion = true)",
          _rows_where(_E, "criteria", _by_id,
                      lambda t, sql: _unknown(t.c.metric, catalogue.get().criterion_kpis))),
    _enum(_E, "evaluations", "period", schema.EVALUATION_PERIODS, "Kỳ đánh giá", id_of=_evaluation_id),
    _unit_ref(_E, "evaluations", _evaluation_id),
    Check("unknown_criterion_id", _E, "evaluations",
          "criterion_id not found in criteria",
          "Mã tiêu chí (criterion_id) không có trong bảng criteria",
          _rows_where(_E, "evaluations", _evaluation_id, _criterion_ref), reads=("criteria",)),
    Check("not_a_number", _E, "evaluations",
          "points is text that is not a number (left out of the scores)",
          "Số điểm (points) không phải là số (không được tính vào điểm thi đua)",
          _rows_where(_E, "evaluations", _evaluation_id, _not_a_number("points")), sqlite_only=True),
    Check("not_a_number", _E, "criteria",
          "max_points is text that is not a number (the criterion is not scored on)",
          "Điểm tối đa (max_points) không phải là số (tiêu chí không được dùng để chấm điểm)",
          _rows_where(_E, "criteria", _by_id, _not_a_number("max_points")), sqlite_only=True),
    Check("unparseable_date", _E, "awards",
          "decided_on is text that is not a date",
          "Ngày quyết định khen thưởng (decided_on) không phải là ngày hợp lệ",
          _rows_where(_E, "awards", _by_id, _unparseable_date("decided_on")), sqlite_only=True),
    _enum(_E, "awards", "title", schema.AWARD_TITLES, "Danh hiệu, hình thức khen thưởng"),
    _enum(_E, "awards", "recipient_kind", schema.RECIPIENT_KINDS, "Đối tượng khen thưởng"),
    _unit_ref(_E, "awards", _by_id),
    _unit_ref(_E, "block_members", _member_id),
    Check("outside_unit_validity", _E, "block_members",
          "the unit is in a block of a movement whose year lies wholly after the unit's valid_to or before "
          "its valid_from",
          "Đơn vị thuộc khối thi đua của phong trào năm mà đơn vị không tồn tại (cả năm sau ngày kết thúc "
          "valid_to hoặc trước ngày bắt đầu valid_from của đơn vị)",
          _member_outside_validity, reads=("blocks", "movements", "units"), optional_columns=_VALIDITY),
    *_unit_checks(_E),
)

assert len({c.key for c in CHECKS}) == len(CHECKS), "check ids must be unique per source and table"


# --- running -------------------------------------------------------------------------
def _sort_key(value) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _finding(check: Check, count: int, found: tuple[str, ...]) -> Finding:
    return Finding(check.source, check.table, check.id, check.description_vi, check.description_en, count, found)


def run_check(db: Database, check: Check, examples: int = 5) -> Finding:
    """One check on one database: a COUNT, then (when not zero) a few example ids.
    Raises SourceError when the database cannot answer."""
    if check.build is None:
        return run_rule(check, load_organisation(db), examples)
    sql = Sql(db.dialect)
    offending = check.build(sql).subquery("offending")
    count = int(db.scalar(sa.select(sa.func.count()).select_from(offending)) or 0)
    found: tuple[str, ...] = ()
    if count and examples > 0:
        # never more than there are: a huge --examples would overflow the engines' LIMIT
        examples = min(examples, count)
        stmt = (sa.select(offending.c.id).distinct()
                .order_by(offending.c.id).limit(examples))
        rows = db.execute(stmt, limit=examples)
        found = tuple(str(v) for v in sorted((r[0] for r in rows), key=_sort_key))
    return _finding(check, count, found)


def load_organisation(db: Database) -> organisation.Organisation:
    """The organisation as `db` records it, for the succession rules. `organisation.load`
    reads a `unit_successions` lacking a column as no successions; here that is a failed
    query (SchemaMismatch), as for any other check reading a column a view lacks."""
    S = schema.unit_successions
    db.execute(sa.select(S.c.predecessor_code, S.c.successor_code, S.c.effective_on, S.c.kind,
                         S.c.inherits_history, S.c.legal_basis).where(sa.false()), limit=1)
    return organisation.load(db)


def succession_rows(org: organisation.Organisation, rule: str) -> list[str]:
    """The succession rows (`predecessor/successor`, sorted) behind `org`'s finding of
    `rule`: the inheriting successions of a predecessor with several heirs, the
    inheriting successions between the codes of a cycle, the successions naming a code
    that is not a unit."""
    codes = {c for f in org.findings() if f.rule == rule for c in f.codes}
    if not codes:
        return []
    if rule == "several_heirs":
        picked = [s for s in org.successions if s.inherits_history and s.predecessor in codes]
    elif rule == "succession_cycle":
        picked = [s for s in org.successions
                  if s.inherits_history and s.predecessor in codes and s.successor in codes]
    else:
        picked = [s for s in org.successions if s.predecessor in codes or s.successor in codes]
    return sorted({f"{s.predecessor}/{s.successor}" for s in picked})


def run_rule(check: Check, org: organisation.Organisation, examples: int = 5) -> Finding:
    """An organisation rule on an organisation already read: the rows involved, counted,
    and the first few as examples."""
    found = succession_rows(org, check.rule)
    return _finding(check, len(found), tuple(found[:max(examples, 0)]))


def _probe(db: Database, table: sa.Table) -> None:
    db.execute(sa.select(sa.literal(1, sa.Integer)).select_from(table).where(sa.false()), limit=1)


def _unreachable(source: str, message: str) -> Finding:
    return Finding(source, "", UNREACHABLE,
                   f"Không kết nối được cơ sở dữ liệu {source}: {message}",
                   f"The {source} database cannot be reached: {message}", 0, ())


def _missing(source: str, table: str, message: str) -> Finding:
    return Finding(source, table, MISSING_TABLE,
                   f"Bảng hoặc view {table} không có hoặc không đọc được: {message}",
                   f"Table or view {table} is missing or unreadable: {message}", 0, ())


def _failed(check: Check, message: str) -> Finding:
    return Finding(check.source, check.table, QUERY_FAILED,
                   f"Không chạy được kiểm tra {check.id}: {message}",
                   f"Check {check.id} could not run: {message}", 0, ())


def check_source(db: Database, source: str, examples: int = 5) -> list[Finding]:
    """Every check of one source; problems reaching it become findings."""
    checks = [c for c in CHECKS if c.source == source]
    sqlite = Sql(db.dialect).sqlite
    findings: list[Finding] = []
    try:
        db.ping()
    except Exception as exc:  # SourceUnavailable, or a URL the engine cannot even parse
        return [_unreachable(source, getattr(exc, "message", None) or str(exc))]

    missing: set[str] = set()       # tables (missing, or an optional one left out) and optional columns left out
    names = list(dict.fromkeys(name for c in checks for name in c.tables))
    for name in names:
        table = _t(source, name)
        try:
            _probe(db, table)
        except SourceUnavailable as exc:
            return findings + [_unreachable(source, exc.message)]
        except SchemaMismatch as exc:
            missing.add(name)
            if not schema.optional(table):
                findings.append(_missing(source, name, exc.message))
        except SourceError as exc:
            missing.add(name)
            findings.append(_missing(source, name, exc.message))

    # Optional columns are probed together per table, as `organisation.load` reads them:
    # a source lacking one of them is read as having none.
    wanted: dict[str, list[str]] = {}
    for check in checks:
        for qualified in check.optional_columns:
            name = qualified.partition(".")[0]
            if name not in missing and qualified not in wanted.setdefault(name, []):
                wanted[name].append(qualified)
    for name, qualified in wanted.items():
        table = _t(source, name)
        try:
            db.execute(sa.select(*(table.c[q.partition(".")[2]] for q in qualified)).where(sa.false()), limit=1)
        except SourceUnavailable as exc:
            return findings + [_unreachable(source, exc.message)]
        except SchemaMismatch:
            missing.update(qualified)
        except SourceError:
            pass                    # the checks reading them say what failed

    org: organisation.Organisation | SourceError | None = None
    for check in checks:
        if ((check.sqlite_only and not sqlite) or missing.intersection(check.tables)
                or missing.intersection(check.optional_columns)):
            continue
        try:
            if check.build is None:             # read once per source for the three rules
                if org is None:
                    try:
                        org = load_organisation(db)
                    except SourceUnavailable:
                        raise
                    except SourceError as exc:  # each rule reports the failed read
                        org = exc
                if isinstance(org, SourceError):
                    raise org
                finding = run_rule(check, org, examples)
            else:
                finding = run_check(db, check, examples)
        except SourceUnavailable as exc:
            return findings + [_unreachable(source, exc.message)]
        except SourceError as exc:
            findings.append(_failed(check, exc.message))
            continue
        except Exception as exc:  # a value the driver cannot convert: report, keep going
            findings.append(_failed(check, f"{type(exc).__name__}: {str(exc)[:300]}"))
            continue
        if finding.count > 0:
            findings.append(finding)
    return findings


def check_all(sources: Sources, examples: int = 5) -> list[Finding]:
    """Findings of every check in the three databases: checks with count > 0, and one
    finding per unreachable source, missing table or failed query."""
    findings: list[Finding] = []
    for source in SOURCE_NAMES:
        findings.extend(check_source(getattr(sources, source), source, examples))
    return findings


def format_text(findings: list[Finding]) -> str:
    """A plain-text table for the terminal; "No findings." when there are none."""
    if not findings:
        return "No findings."
    header = ("source", "table", "check", "count", "examples")
    body = [(f.source, f.table, f.check, str(f.count), ", ".join(f.examples)) for f in findings]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells) -> str:
        parts = [c.rjust(w) if i == 3 else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    for f, cells in zip(findings, body):
        out.append(line(cells))
        out.append("    " + f.message_en)
    n = len(findings)
    out.append(f"{n} finding{'s' if n != 1 else ''}.")
    return "\n".join(out)
