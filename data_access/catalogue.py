"""The KPI catalogue (`config/kpis.toml`): names, units, targets, thresholds and the
766 weights, loaded as data so an administrator can change them without code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import settings

# The ids of KPIS.md, in report order. The catalogue must name each exactly once.
KPI_IDS: tuple[str, ...] = (
    "procedures.received",
    "procedures.finished",
    "procedures.on_time_rate",
    "procedures.pending",
    "procedures.pending_overdue",
    "procedures.online_rate",
    "procedures.digitized_rate",
    "procedures.synced_rate",
    "procedures.online_payment_rate",
    "procedures.satisfaction_rate",
    "procedures.avg_processing_days",
    "procedures.service_index",
    "tasks.assigned",
    "tasks.completed_on_time",
    "tasks.completed_late",
    "tasks.in_progress_on_time",
    "tasks.in_progress_overdue",
    "tasks.on_time_rate",
    "tasks.legal_docs_completion_rate",
    "tasks.due_next_7_days",
    "emulation.participating_units",
    "emulation.score",
    "emulation.awards",
)

UNITS = ("count", "rate", "days", "index", "points")
BETTER = ("higher", "lower", "none")


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Kpi:
    id: str
    name_vi: str
    name_en: str
    unit: str
    better: str
    target: float | None = None
    amber: float | None = None

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def status(self, value: float | None) -> str | None:
        """'green', 'amber' or 'red' against the thresholds; None when not judged."""
        if value is None or self.target is None or self.better == "none":
            return None

        def meets(threshold: float) -> bool:
            return value >= threshold if self.better == "higher" else value <= threshold

        if meets(self.target):
            return "green"
        if self.amber is not None and meets(self.amber):
            return "amber"
        return "red"


@dataclass(frozen=True)
class IndexIndicator:
    indicator: str
    name_vi: str
    name_en: str
    ratio: str
    max: float
    full_at: float

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class Catalogue:
    kpis: dict[str, Kpi]
    service_index: tuple[IndexIndicator, ...]

    def __getitem__(self, kpi_id: str) -> Kpi:
        return self.kpis[kpi_id]


def catalogue_path() -> Path:
    path = Path(settings.get("kpi_catalogue"))
    return path if path.is_absolute() else settings.PROJECT_ROOT / path


def load(path: Path | None = None) -> Catalogue:
    path = path or catalogue_path()
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    kpis: dict[str, Kpi] = {}
    for entry in raw.get("kpi", []):
        kpi = Kpi(
            id=entry["id"], name_vi=entry["name_vi"], name_en=entry["name_en"],
            unit=entry["unit"], better=entry.get("better", "none"),
            target=entry.get("target"), amber=entry.get("amber"),
        )
        if kpi.id not in KPI_IDS:
            raise CatalogueError(f"{path}: unknown KPI id {kpi.id!r}")
        if kpi.id in kpis:
            raise CatalogueError(f"{path}: KPI {kpi.id!r} appears twice")
        if kpi.unit not in UNITS or kpi.better not in BETTER:
            raise CatalogueError(f"{path}: KPI {kpi.id!r} has unit {kpi.unit!r} / better {kpi.better!r}")
        kpis[kpi.id] = kpi
    missing = [k for k in KPI_IDS if k not in kpis]
    if missing:
        raise CatalogueError(f"{path}: missing KPI ids {', '.join(missing)}")
    indicators = tuple(
        IndexIndicator(
            indicator=str(e["indicator"]), name_vi=e["name_vi"], name_en=e["name_en"],
            ratio=e["ratio"], max=float(e["max"]), full_at=float(e["full_at"]),
        )
        for e in raw.get("service_index", [])
    )
    for ind in indicators:
        if ind.ratio not in KPI_IDS or kpis[ind.ratio].unit != "rate" or ind.full_at <= 0:
            raise CatalogueError(f"{path}: 766 indicator {ind.indicator} has a bad ratio or full_at")
    return Catalogue(kpis=kpis, service_index=indicators)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Catalogue:
    return load(Path(path))


def get() -> Catalogue:
    """The catalogue, re-read when the file changes."""
    path = catalogue_path()
    return _cached(str(path), path.stat().st_mtime)
