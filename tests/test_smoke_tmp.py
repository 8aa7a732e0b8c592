import datetime as dt
from data_access import procedures, tasks
from data_access.model import Period, Scope

def test_smoke(rows, sources):
    rows.unit("A")
    rows.procedure("P1")
    rows.dossier(dt.datetime(2026,3,1,9), finished_at=dt.datetime(2026,3,5,9))
    rows.task(dt.datetime(2026,3,1,9), due_date=dt.date(2026,3,10), completed_at=dt.datetime(2026,3,10,23))
    k = procedures.procedure_kpis(sources.procedures, Period(dt.date(2026,1,1), dt.date(2026,6,30)), dt.datetime(2026,6,20,14,30), Scope.ministry())
    assert k["procedures.received"] == 1 and k["procedures.on_time_rate"] == 1.0
    assert abs(k["procedures.avg_processing_days"] - 4.0) < 1e-9
    t = tasks.task_kpis(sources.tasks, Period(dt.date(2026,1,1), dt.date(2026,6,30)), dt.datetime(2026,6,20,14,30), Scope.ministry())
    assert t["tasks.completed_on_time"] == 1
