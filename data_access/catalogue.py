"""The KPI catalogue (`config/kpis.toml`): every KPI declared once — id, names and
definitions in both languages, unit, direction, target and amber threshold, how it is
formed from named measures, whether an emulation criterion may use it, which screens
show it. Loaded as data, validated on load, re-read when the file changes."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import measures, settings

UNITS = ("count", "rate", "days", "index", "points")
BETTER = ("higher", "lower", "none")
FORMS = ("count", "ratio", "mean", "index", "mean_of_units")
DOMAINS = ("procedures", "tasks", "emulation")


class CatalogueError(ValueError):
    pass


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
class Kpi:
    id: str
    name_vi: str
    name_en: str
    unit: str
    better: str
    target: float | None = None
    amber: float | None = None
    definition_vi: str = ""
    definition_en: str = ""
    form: str = "count"
    measure: str | None = None
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    criterion: bool = False
    screens: tuple[str, ...] = ()
    indicators: tuple[IndexIndicator, ...] = ()

    @property
    def domain(self) -> str:
        return self.id.split(".", 1)[0]

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def definition(self, lang: str) -> str:
        return self.definition_vi if lang == "vi" else self.definition_en

    def measures_used(self) -> tuple[str, ...]:
        """The `fact.measure` names this KPI reads (the index reads its ratios' measures)."""
        if self.form in ("count", "mean_of_units"):
            return (self.measure,) if self.measure else ()
        return ((self.numerator,) if self.numerator else ()) + self.denominator

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
class Catalogue:
    kpis: dict[str, Kpi]

    def __getitem__(self, kpi_id: str) -> Kpi:
        return self.kpis[kpi_id]

    def __iter__(self):
        return iter(self.kpis.values())

    @property
    def ids(self) -> tuple[str, ...]:
        """Every KPI id, in the report's order (the file's)."""
        return tuple(self.kpis)

    def of_domain(self, domain: str) -> tuple[Kpi, ...]:
        return tuple(k for k in self.kpis.values() if k.domain == domain)

    def on_screen(self, screen: str) -> tuple[str, ...]:
        return tuple(k.id for k in self.kpis.values() if screen in k.screens)

    @property
    def criterion_kpis(self) -> tuple[str, ...]:
        """KPIs an emulation criterion's `metric` may name (values in [0, 1])."""
        return tuple(k.id for k in self.kpis.values() if k.criterion)

    @property
    def service_index(self) -> tuple[IndexIndicator, ...]:
        for kpi in self.kpis.values():
            if kpi.form == "index":
                return kpi.indicators
        return ()


def catalogue_path() -> Path:
    path = Path(settings.get("kpi_catalogue"))
    return path if path.is_absolute() else settings.PROJECT_ROOT / path


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _kpi(entry: dict, where: str) -> Kpi:
    try:
        indicators = tuple(
            IndexIndicator(indicator=str(e["indicator"]), name_vi=e["name_vi"], name_en=e["name_en"],
                           ratio=e["ratio"], max=float(e["max"]), full_at=float(e["full_at"]))
            for e in entry.get("indicator", [])
        )
        return Kpi(
            id=entry["id"], name_vi=entry["name_vi"], name_en=entry["name_en"],
            unit=entry["unit"], better=entry.get("better", "none"),
            target=entry.get("target"), amber=entry.get("amber"),
            definition_vi=entry.get("definition_vi", ""), definition_en=entry.get("definition_en", ""),
            form=entry.get("form", "count"), measure=entry.get("measure"),
            numerator=entry.get("numerator"), denominator=_as_tuple(entry.get("denominator")),
            criterion=bool(entry.get("criterion", False)), screens=_as_tuple(entry.get("screens")),
            indicators=indicators,
        )
    except KeyError as exc:
        raise CatalogueError(f"{where}: a KPI record lacks {exc.args[0]!r}") from None


def _check(kpi: Kpi, kpis: dict[str, Kpi], where: str) -> None:
    def bad(why: str):
        raise CatalogueError(f"{where}: KPI {kpi.id!r} {why}")

    if kpi.domain not in DOMAINS or "." not in kpi.id:
        bad(f"must start with one of {', '.join(DOMAINS)} and a dot")
    if kpi.id in kpis:
        bad("appears twice")
    if kpi.unit not in UNITS or kpi.better not in BETTER or kpi.form not in FORMS:
        bad(f"has unit {kpi.unit!r} / better {kpi.better!r} / form {kpi.form!r}")
    if not kpi.definition_vi or not kpi.definition_en:
        bad("needs definition_vi and definition_en")
    if kpi.form in ("count", "mean_of_units") and not kpi.measure:
        bad(f"is a {kpi.form} and needs `measure`")
    if kpi.form in ("ratio", "mean") and (not kpi.numerator or not kpi.denominator):
        bad(f"is a {kpi.form} and needs `numerator` and `denominator`")
    for name in kpi.measures_used():
        if not measures.known(name):
            bad(f"names an unknown measure {name!r}")
        if measures.domain_of(name) != kpi.domain:
            bad(f"reads {name!r}, a measure of another domain")
    if kpi.form == "index":
        if not kpi.indicators:
            bad("is an index and needs [[kpi.indicator]] records")
        for ind in kpi.indicators:
            ratio = kpis.get(ind.ratio)
            if ratio is None or ratio.unit != "rate" or ind.full_at <= 0 or ind.max <= 0:
                bad(f"indicator {ind.indicator} needs an earlier rate KPI, max > 0 and full_at > 0")
    if kpi.criterion and kpi.unit != "rate":
        bad("can be an emulation criterion only if it is a rate (a value in 0-1)")


def load(path: Path | None = None) -> Catalogue:
    path = path or catalogue_path()
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    kpis: dict[str, Kpi] = {}
    for entry in raw.get("kpi", []):
        kpi = _kpi(entry, str(path))
        _check(kpi, kpis, str(path))
        kpis[kpi.id] = kpi
    if sum(1 for k in kpis.values() if k.form == "index") > 1:
        raise CatalogueError(f"{path}: only one KPI may be the service index")
    return Catalogue(kpis=kpis)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Catalogue:
    return load(Path(path))


def get() -> Catalogue:
    """The catalogue, re-read when the file changes."""
    path = catalogue_path()
    return _cached(str(path), path.stat().st_mtime)
