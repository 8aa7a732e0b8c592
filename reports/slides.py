"""The slide model shared by the kiosk page and the PPTX/PDF deck.

`build` reads the KPI engine once per slide set (the same grouped SQL as every other
figure of the app) and returns, per slide, a few big figures already formatted in the
reader's language, at most two charts and at most one small table. Nothing here knows
how a slide is drawn, and nothing here imports Streamlit.

Slides are shown to the `viewer` role: they hold aggregates only, never a list of
dossiers or tasks and never a person's name (awards are counted, not listed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable

import altair as alt
import pandas as pd

from data_access import catalogue, emulation, lists, model
from data_access import figures as figures_mod
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope
from design import palette
from l10n import fmt
from l10n.i18n import enum, t

from . import slide_charts

SLIDE_KEYS = ("overview", "procedures", "tasks", "emulation", "awards")

# Most bars a slide chart shows (what the conference screen holds at 1280×720 with
# names of 24 px), most rows a slide table holds.
MAX_BARS = 5
MAX_ROWS = 12


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    status: str | None
    target: str = ""
    kpi_id: str | None = None
    raw: float | int | None = None


@dataclass(frozen=True)
class RankRow:
    rank: str                 # "1", or "Chưa xếp hạng"
    unit: str
    score: str
    mark: str = ""            # "tạm tính · 4/12 tiêu chí" when the score is provisional


@dataclass(frozen=True)
class BlockRanking:
    """One emulation block's ranking, headed by the block's name. `mark` is the
    provisional mark every row shares (said once, in the heading); a row's own `mark` is
    shown only when the block's rows differ."""

    title: str
    rows: tuple[RankRow, ...]
    mark: str = ""

    def frame(self, lang: str) -> pd.DataFrame:
        columns = [t("emulation.col_rank", lang), t("emulation.col_unit", lang), t("emulation.col_score_100", lang)]
        noted = any(r.mark for r in self.rows)
        if noted:
            columns.append(t("emulation.col_provisional", lang))
        return pd.DataFrame([[r.rank, r.unit, r.score, *([r.mark] if noted else [])] for r in self.rows],
                            columns=columns)


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    subtitle: str
    figures: tuple[Figure, ...]
    charts: tuple[alt.TopLevelMixin, ...]
    table: pd.DataFrame | None = None
    note: str = ""
    blocks: tuple[BlockRanking, ...] = ()      # rankings, one per emulation block, never mixed


@dataclass(frozen=True)
class DeckMeta:
    ministry: str
    title: str
    period_text: str
    generated: str
    lang: str


# --- arguments ---------------------------------------------------------------------------
def parse_keys(text: str | None) -> tuple[str, ...]:
    """`"overview,tasks"` → `("overview", "tasks")`, in the order given; None or "" → every
    slide. Unknown keys, or commas without a key, raise ValueError naming them."""
    if text is None or not str(text).strip():
        return SLIDE_KEYS
    keys = [part.strip().lower() for part in str(text).split(",") if part.strip()]
    if not keys:      # only commas: a malformed list, not a request for every slide
        raise ValueError(f"no slide key in {str(text)!r}; expected some of {', '.join(SLIDE_KEYS)}")
    unknown = [k for k in keys if k not in SLIDE_KEYS]
    if unknown:
        raise ValueError(f"unknown slide key(s): {', '.join(unknown)}; expected some of {', '.join(SLIDE_KEYS)}")
    chosen: list[str] = []
    for k in keys:
        if k not in chosen:
            chosen.append(k)
    return tuple(chosen)


def _keys(keys) -> tuple[str, ...]:
    if keys is None or isinstance(keys, str):
        return parse_keys(keys)
    return parse_keys(",".join(keys)) if keys else SLIDE_KEYS


def load_unit_names(sources: Sources) -> dict[str, tuple[str, str]]:
    """Units that answer for work (the ministry itself left out): code → (vi, en)."""
    return lists.unit_names(sources.procedures)


def _names_in(unit_names: dict | None, lang: str) -> dict[str, str]:
    """Accepts code → (vi, en) (as `ui.data.unit_names` gives) or code → name."""
    out: dict[str, str] = {}
    for code, names in (unit_names or {}).items():
        if isinstance(names, (tuple, list)):
            out[code] = (names[0] if lang == "vi" else (names[1] if len(names) > 1 and names[1] else names[0]))
        else:
            out[code] = str(names)
    return out


# --- shared texts ------------------------------------------------------------------------
def scope_text(scope: Scope, names: dict[str, str], lang: str) -> str:
    if scope.is_ministry:
        return t("whole_ministry", lang)
    return names.get(scope.unit, scope.unit)


def period_range(period: Period, lang: str) -> str:
    return f"{fmt.date(period.start, lang)} – {fmt.date(period.end, lang)}"


def subtitle(period: Period, as_of: dt.datetime, scope: Scope, names: dict[str, str], lang: str) -> str:
    return " · ".join((period_range(period, lang), scope_text(scope, names, lang),
                       t("data_as_of", lang, time=fmt.moment(as_of, lang))))


def target_text(kpi: catalogue.Kpi, lang: str) -> str:
    if kpi.target is None or kpi.better == "none":
        return ""
    comparator = "≥" if kpi.better == "higher" else "≤"
    return f"{t('target', lang)} {comparator} {fmt.kpi_value(kpi.target, kpi.unit, lang)}"


def kpi_figure(kpi_id: str, value, lang: str, label: str | None = None) -> Figure:
    kpi = catalogue.get()[kpi_id]
    return Figure(label=label or kpi.name(lang), value=fmt.kpi_value(value, kpi.unit, lang),
                  status=kpi.status(value), target=target_text(kpi, lang), kpi_id=kpi_id, raw=value)


def count_figure(label: str, value: int, lang: str) -> Figure:
    return Figure(label=label, value=fmt.number(value, lang), status=None, raw=value)


def meta(period: Period, as_of: dt.datetime, scope: Scope, lang: str, unit_names: dict | None = None,
         ministry: tuple[str, str] | None = None) -> DeckMeta:
    """The title slide's texts. `generated` is the moment the deck is made (the app's clock).
    `ministry`: the data's own (vi, en) name of the ministry (`figures.ministry_name`);
    the built-in name only when the data has none."""
    names = _names_in(unit_names, lang)
    return DeckMeta(
        ministry=(ministry[0] if lang == "vi" else ministry[1]) if ministry else t("ministry", lang),
        title=t("slides.deck_title", lang),
        period_text=t("slides.period_text", lang, period=period_range(period, lang),
                      scope=scope_text(scope, names, lang)),
        generated=" · ".join((t("slides.generated", lang, time=fmt.moment(model.now(), lang)),
                              t("data_as_of", lang, time=fmt.moment(as_of, lang)))),
        lang=lang,
    )


# --- the engine's figures, each read once per build ---------------------------------------
class _Data:
    def __init__(self, sources: Sources, period: Period, as_of: dt.datetime, scope: Scope, lang: str,
                 names: dict[str, str]):
        self.sources, self.period, self.as_of, self.scope = sources, period, as_of, scope
        self.lang, self.names = lang, names
        self._awards: dict[str, dict] = {}

    def name(self, code) -> str:
        return "—" if code is None else self.names.get(code, str(code))

    @cached_property
    def _computed(self) -> tuple[figures_mod.Figures, tuple[str, ...]]:
        return figures_mod.compute_available(self.sources, self.period, self.as_of, self.scope, by="unit")

    @property
    def figures(self) -> figures_mod.Figures:
        """Every figure of the slides, from the one computation (per-unit rows included);
        a domain whose source failed is left out (see `failed`)."""
        return self._computed[0]

    @property
    def failed(self) -> tuple[str, ...]:
        """The sources that did not answer: the slides reading them say so."""
        return self._computed[1]

    @property
    def kpis(self) -> dict:
        return self.figures.kpis

    @property
    def by_unit(self) -> dict:
        return self.figures.breakdown

    @property
    def movement(self) -> emulation.Movement | None:
        return self.figures.emulation.movement

    @property
    def evaluation_code(self) -> str | None:
        return self.figures.emulation.evaluation_period

    @property
    def scores(self) -> list[dict]:
        """The scope's units' scores (ranks stay those within the whole block)."""
        return self.figures.emulation.scores

    @property
    def block_sizes(self) -> dict[int, int]:
        return self.figures.emulation.block_sizes

    @cached_property
    def blocks(self) -> dict[int, str]:
        if self.movement is None:
            return {}
        found = emulation.blocks(self.sources.emulation, self.movement.id)
        key = "name_vi" if self.lang == "vi" else "name_en"
        return {b["id"]: b[key] or b["name_vi"] or t("emulation.block_fallback", self.lang, id=b["id"])
                for b in found}

    def awards(self, by: str) -> dict:
        """Awards decided in the period, counted by "title", "unit" or "kind" (never listed)."""
        emu = self.figures.emulation
        if emu is None:
            return {}
        return {"title": emu.awards_by_title, "unit": emu.awards_by_unit, "kind": emu.awards_by_kind}[by]


# --- the slides ----------------------------------------------------------------------------
def _overview(d: _Data) -> Slide:
    lang = d.lang
    p = k = d.kpis
    awards = (None if "emulation" in d.failed or d.figures.emulation is None
              else d.kpis["emulation.awards"] if d.scope.is_ministry else sum(d.awards("title").values()))
    figures = (
        kpi_figure("procedures.received", p["procedures.received"], lang, t("slides.fig_received", lang)),
        kpi_figure("procedures.on_time_rate", p["procedures.on_time_rate"], lang, t("slides.fig_on_time", lang)),
        kpi_figure("procedures.pending_overdue", p["procedures.pending_overdue"], lang,
                   t("slides.fig_pending_overdue", lang)),
        kpi_figure("procedures.service_index", p["procedures.service_index"], lang,
                   t("slides.fig_service_index", lang)),
        kpi_figure("tasks.assigned", k["tasks.assigned"], lang, t("slides.fig_tasks_assigned", lang)),
        kpi_figure("tasks.on_time_rate", k["tasks.on_time_rate"], lang, t("slides.fig_tasks_on_time", lang)),
        kpi_figure("tasks.in_progress_overdue", k["tasks.in_progress_overdue"], lang,
                   t("slides.fig_tasks_overdue", lang)),
        Figure(label=t("slides.fig_awards", lang), value=fmt.number(awards, lang), status=None,
               kpi_id="emulation.awards", raw=awards),
    )
    notes = [t("service_index_note", lang)]
    notes += [t("slides.source_unavailable", lang, source=t(f"source_{source}", lang)) for source in d.failed]
    return Slide("overview", t("slides.title_overview", lang), _subtitle(d), figures, (), note=" ".join(notes))


def _subtitle(d: _Data) -> str:
    return subtitle(d.period, d.as_of, d.scope, d.names, d.lang)


def _on_time_chart(d: _Data):
    lang = d.lang
    cat = catalogue.get()
    kpi = cat["procedures.on_time_rate"]
    rows = []
    for unit, values in d.by_unit.items():
        rate = values.get("procedures.on_time_rate")
        if rate is None:
            continue
        rows.append({"name": d.name(unit), "value": rate, "text": fmt.percent(rate, lang),
                     "colour": palette.status_colour(kpi.status(rate)), "finished": values["procedures.finished"]})
    if not rows:
        return None
    frame = pd.DataFrame(rows).sort_values(["value", "finished"], ascending=[True, False])
    shown = frame.head(MAX_BARS)
    title = (t("slides.chart_on_time_lowest", lang, n=len(shown)) if len(frame) > len(shown)
             else t("slides.chart_on_time", lang))
    legend = t("slides.legend_rate", lang, green=t("status_green", lang), amber=t("status_amber", lang),
               red=t("status_red", lang), target=fmt.percent(kpi.target, lang, 0)) if kpi.target is not None else ""
    return slide_charts.bars(shown, title=title, subtitle=legend, domain_max=1.0, target=kpi.target,
                             aligned_figures=True)


def _procedures(d: _Data) -> Slide:
    lang = d.lang
    p = d.kpis
    cat = catalogue.get()
    figures = (
        kpi_figure("procedures.service_index", p["procedures.service_index"], lang),
        kpi_figure("procedures.on_time_rate", p["procedures.on_time_rate"], lang),
    )
    parts = d.figures.index_parts
    indicators = {ind.indicator: ind for ind in cat.service_index}
    rows = []
    for part in parts:
        ind = indicators[part["indicator"]]
        max_text = fmt.number(part["max"], lang, 0 if float(part["max"]).is_integer() else 1)
        points = "—" if part["points"] is None else fmt.number(part["points"], lang, 1)
        rows.append({
            t("slides.col_indicator", lang): f"{ind.indicator}. {ind.name(lang)}",
            t("slides.col_ratio", lang): fmt.percent(part["ratio"], lang),
            t("slides.col_points", lang): f"{points} / {max_text}",
        })
    table = pd.DataFrame(rows, columns=[t("slides.col_indicator", lang), t("slides.col_ratio", lang),
                                        t("slides.col_points", lang)])
    # A unit's own slide has one bar to draw: its figures say it all.
    chart = _on_time_chart(d) if d.scope.is_ministry else None
    notes = [t("service_index_note", lang)]
    if chart is None and p["procedures.on_time_rate"] is None:
        notes.append(t("slides.no_finished", lang))
    return Slide("procedures", t("slides.title_procedures", lang), _subtitle(d), figures,
                 (chart,) if chart is not None else (), table=table, note=" ".join(notes))


def _tasks(d: _Data) -> Slide:
    lang = d.lang
    k = d.kpis
    figures = tuple(kpi_figure(kpi_id, k[kpi_id], lang) for kpi_id in (
        "tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_on_time", "tasks.in_progress_overdue"))
    overdue = "tasks.in_progress_overdue"
    rows = [{"name": d.name(unit), "value": values[overdue],
             "text": fmt.number(values[overdue], lang), "colour": palette.RED}
            for unit, values in d.by_unit.items() if values.get(overdue)]
    notes = [t("slides.tasks_note", lang, rate=fmt.percent(k["tasks.on_time_rate"], lang))]
    charts: tuple = ()
    if rows and d.scope.is_ministry:
        frame = pd.DataFrame(rows).sort_values(["value", "name"], ascending=[False, True])
        shown = frame.head(MAX_BARS)
        title = (t("slides.chart_overdue_top", lang, n=len(shown)) if len(frame) > len(shown)
                 else t("slides.chart_overdue", lang))
        charts = (slide_charts.bars(shown, title=title, subtitle=t("slides.chart_overdue_sub", lang)),)
    elif not rows:
        notes.append(t("slides.no_overdue_tasks", lang))
    return Slide("tasks", t("slides.title_tasks", lang), _subtitle(d), figures, charts, note=" ".join(notes))


def provisional_text(row: dict, lang: str) -> str:
    """"tạm tính · 4/12 tiêu chí" for a provisional score (its criteria scored of the
    movement's), else ""."""
    if not row.get("provisional") or row.get("score") is None:
        return ""
    return t("emulation.provisional", lang, scored=row["criteria_scored"], total=row["criteria_total"])


def block_ranking(title: str, rows: list[dict], name, sizes: dict[int, int], lang: str,
                  rank_of_block: bool = False) -> BlockRanking:
    """A block's rows (ranked first, unranked last) as a `BlockRanking`; a mark all rows
    share goes to the heading. `rank_of_block`: ranks read "2/3" (a unit's own rows)."""
    marks = [provisional_text(r, lang) for r in rows]
    shared = marks[0] if marks and all(m == marks[0] for m in marks) else ""
    ranked = []
    for r, mark in zip(rows, marks):
        if r["rank"] is None:
            rank = t("emulation.unranked", lang)
        elif rank_of_block:
            rank = t("emulation.rank_of", lang, rank=r["rank"], n=sizes.get(r["block"], 1))
        else:
            rank = str(r["rank"])
        ranked.append(RankRow(rank, name(r["unit"]), fmt.number(r["score"], lang, 1), "" if shared else mark))
    return BlockRanking(title, tuple(ranked), shared)


# How much of the slide's height a block's ranking takes, in lines of the smallest text
# at 1280×720: a heading, then a line a unit (rank, name, score and its provisional
# mark across the slide's width; a name longer than about 50 characters wraps). A slide
# holds `BLOCK_LINES` lines, fewer under the figures of the first emulation slide.
BLOCK_LINES, BLOCK_LINES_UNDER_FIGURES = 16.0, 13.0
NAME_CHARS = 50


def block_lines(block: BlockRanking) -> float:
    lines = 1.2 + (0.9 if len(block.title) + len(block.mark) > 80 else 0)
    for row in block.rows:
        lines += max(1, -(-len(row.unit) // NAME_CHARS))
    return lines + 0.3                    # the gap under the block


def pack_blocks(blocks: list[BlockRanking], first_budget: float, budget: float) -> list[list[BlockRanking]]:
    """Blocks in their order, in groups that each fill a slide (a block is never split)."""
    groups: list[list[BlockRanking]] = [[]]
    used, limit = 0.0, first_budget
    for block in blocks:
        need = block_lines(block)
        if groups[-1] and used + need > limit:
            groups.append([])
            used, limit = 0.0, budget
        used += need
        groups[-1].append(block)
    return groups


def _emulation(d: _Data) -> list[Slide]:
    lang = d.lang
    year = d.period.start.year
    if d.movement is None:
        return [Slide("emulation", t("slides.title_emulation_none", lang, year=year), _subtitle(d), (), (),
                      note=t("emulation.no_movement", lang, year=year))]
    code = d.evaluation_code
    period_name = enum("evaluation_period", code, lang)
    title = t("slides.title_emulation", lang, year=d.movement.year, period=period_name)
    sizes = d.block_sizes
    theme = (d.movement.theme_vi if lang == "vi" else (d.movement.theme_en or d.movement.theme_vi)) or ""
    theme_note = f"{t('emulation.theme', lang)}: “{theme}”." if theme else ""
    block_title = lambda b: d.blocks.get(b, t("emulation.block_fallback", lang, id=b))  # noqa: E731
    provisional = [r for r in d.scores if provisional_text(r, lang)]
    provisional_note = t("slides.provisional_note", lang) if provisional else ""

    if not d.scope.is_ministry:
        mine = d.scores
        if not mine:
            return [Slide("emulation", title, _subtitle(d), (), (),
                          note=t("emulation.unit_not_member", lang, unit=d.name(d.scope.unit)))]
        first = mine[0]
        score_kpi = catalogue.get()["emulation.score"]
        target = " · ".join(x for x in (target_text(score_kpi, lang), provisional_text(first, lang)) if x)
        figures = (
            Figure(label=t("emulation.metric_unit_score", lang, period=period_name),
                   value=fmt.number(first["score"], lang, 1), status=score_kpi.status(first["score"]),
                   target=target, kpi_id="emulation.score", raw=first["score"]),
            Figure(label=t("emulation.metric_unit_rank", lang),
                   value=(t("emulation.rank_of", lang, rank=first["rank"], n=sizes.get(first["block"], 1))
                          if first["rank"] is not None else t("emulation.unranked", lang)),
                   status=None, raw=first["rank"]),
        )
        blocks = tuple(block_ranking(block_title(b), [r for r in mine if r["block"] == b], d.name, sizes, lang, True)
                       for b in dict.fromkeys(r["block"] for r in mine))
        return [Slide("emulation", title, _subtitle(d), figures, (), blocks=blocks,
                      note=" ".join(x for x in (theme_note, provisional_note, t("slides.emulation_unit_note", lang))
                                    if x))]

    scores = d.scores
    mean_target = target_text(catalogue.get()["emulation.score"], lang)
    waiting = len({r["unit"] for r in provisional})
    if waiting:
        mean_target = " · ".join(x for x in (mean_target, t("emulation.provisional_units", lang, n=waiting)) if x)
    mean = kpi_figure("emulation.score", d.kpis["emulation.score"], lang)
    figures = (
        kpi_figure("emulation.participating_units", d.kpis["emulation.participating_units"], lang),
        Figure(mean.label, mean.value, mean.status, mean_target, mean.kpi_id, mean.raw),
        count_figure(t("emulation.metric_blocks", lang), len(sizes), lang),
    )
    if not scores:
        return [Slide("emulation", title, _subtitle(d), figures, (), note=t("emulation.no_members", lang))]
    blocks = [block_ranking(block_title(b), [r for r in scores if r["block"] == b], d.name, sizes, lang)
              for b in dict.fromkeys(r["block"] for r in scores)]
    groups = pack_blocks(blocks, BLOCK_LINES_UNDER_FIGURES, BLOCK_LINES)
    note = " ".join(x for x in (provisional_note, t("slides.emulation_all_note", lang)) if x)
    out = []
    for i, group in enumerate(groups):
        part = title if len(groups) == 1 else t("slides.title_part", lang, title=title, i=i + 1, n=len(groups))
        # the movement's theme once, on the first of its slides
        out.append(Slide("emulation", part, _subtitle(d), figures if i == 0 else (), (), blocks=tuple(group),
                         note=" ".join(x for x in (theme_note if i == 0 else "", note) if x)))
    return out


def _awards(d: _Data) -> Slide:
    lang = d.lang
    by_title = d.awards("title")
    by_kind = d.awards("kind")
    total = sum(by_title.values())
    figures = (
        count_figure(t("slides.fig_awards_total", lang), total, lang),
        count_figure(t("slides.fig_awards_collective", lang), by_kind.get("collective", 0), lang),
        count_figure(t("slides.fig_awards_individual", lang), by_kind.get("individual", 0), lang),
    )
    note = t("slides.awards_note", lang)
    if not total:
        return Slide("awards", t("slides.title_awards", lang), _subtitle(d), figures, (),
                     note=" ".join((t("emulation.no_awards", lang), note)))
    title_frame = pd.DataFrame([{"name": enum("title", title, lang), "value": n, "text": fmt.number(n, lang),
                                 "colour": palette.LIGHT.volume} for title, n in by_title.items() if n])
    title_frame = title_frame.sort_values(["value", "name"], ascending=[False, True])
    titles_shown = title_frame.head(MAX_BARS)
    titles_title = (t("slides.chart_awards_titles_top", lang, n=len(titles_shown)) if len(title_frame) > len(titles_shown)
                    else t("emulation.awards_by_title", lang))
    charts = [slide_charts.bars(titles_shown, title=titles_title, subtitle=t("slides.count_sub", lang))]
    if d.scope.is_ministry:
        by_unit = d.awards("unit")
        unit_frame = pd.DataFrame([{"name": d.name(unit), "value": n, "text": fmt.number(n, lang),
                                    "colour": palette.LIGHT.volume} for unit, n in by_unit.items() if n])
        unit_frame = unit_frame.sort_values(["value", "name"], ascending=[False, True])
        shown = unit_frame.head(MAX_BARS)
        unit_title = (t("slides.chart_awards_units_top", lang, n=len(shown)) if len(unit_frame) > len(shown)
                      else t("emulation.awards_by_unit", lang))
        charts.append(slide_charts.bars(shown, title=unit_title, subtitle=t("slides.count_sub", lang)))
    return Slide("awards", t("slides.title_awards", lang), _subtitle(d), figures, tuple(charts), note=note)


# A builder gives its slide, or its slides (the emulation ranking takes as many as its
# blocks need at the kiosk's type size).
BUILDERS: dict[str, Callable[[_Data], Slide | list[Slide]]] = {
    "overview": _overview,
    "procedures": _procedures,
    "tasks": _tasks,
    "emulation": _emulation,
    "awards": _awards,
}


def build(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope, lang: str,
          keys: Iterable[str] | str | None = SLIDE_KEYS, unit_names: dict | None = None) -> list[Slide]:
    """The slides `keys` (in that order) for the period, as of T, in the scope, in `lang`.
    `unit_names` (code → (vi, en), or code → name) spares reading the units table."""
    chosen = _keys(keys)
    if unit_names is None:
        try:
            unit_names = load_unit_names(sources)
        except SourceError:
            unit_names = {}                  # units shown by code; the slides say what is missing
    d = _Data(sources, period, as_of, scope, lang, _names_in(unit_names, lang))
    slides = []
    for key in chosen:
        try:
            missing = [source for source in NEEDS[key] if source in d.failed]
            if missing and (key != "overview" or len(missing) == len(NEEDS[key])):
                slides.append(_unavailable(key, d, missing[0]))
            else:
                made = BUILDERS[key](d)
                slides.extend(made if isinstance(made, list) else [made])
        except SourceError as exc:
            # One source down costs only the slides that read it.
            slides.append(_unavailable(key, d, exc.source))
    return slides


# The sources each slide reads (emulation's automatic criteria read the other two); the
# overview keeps the tiles of the sources that answered.
NEEDS: dict[str, tuple[str, ...]] = {
    "overview": ("procedures", "tasks", "emulation"),
    "procedures": ("procedures",),
    "tasks": ("tasks",),
    "emulation": ("emulation", "procedures", "tasks"),
    "awards": ("emulation",),
}


def _unavailable(key: str, d: "_Data", source: str) -> Slide:
    lang = d.lang
    title = (t("slides.title_emulation_none", lang, year=d.period.start.year) if key == "emulation"
             else t(f"slides.title_{key}", lang))
    return Slide(key, title, _subtitle(d), (), (),
                 note=t("slides.source_unavailable", lang, source=t(f"source_{source}", lang)))


__all__ = ["SLIDE_KEYS", "Figure", "Slide", "BlockRanking", "RankRow", "DeckMeta", "build", "meta", "parse_keys", "load_unit_names"]

