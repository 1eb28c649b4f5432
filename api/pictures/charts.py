"""The ecosystem in figures: charts of the named queries (``queries/*.rq``), drawn by pygal.

Each chart runs one named query, counts its rows (``Figure``: categories and one or more series
of numbers), and is drawn as an SVG bar chart; the same numbers are offered as CSV and as a
table on the page, and the chart links to the query behind it. A long tail is left to the
table and the CSV (``Chart.limit``) so that a chart stays readable.

>>> f = count_by([{"o": "A", "p": "1"}, {"o": "A", "p": "2"}, {"o": "B", "p": "1"}], "o", "p")
>>> f.categories, f.series[0][1]
(['A', 'B'], [2, 1])
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from math import ceil

import pygal
from babel.dates import format_date
from pygal.style import Style

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
COLOURS = ("#000091", "#6a3d9a", "#b34000", "#18753c", "#a94645", "#0063cb", "#716043",
           "#3a3a3a")
STYLE = Style(font_family=FONT, background="white", plot_background="white",
              foreground="#1e1e1e", foreground_strong="#1e1e1e", foreground_subtle="#929292",
              colors=COLOURS, label_font_size=12, major_label_font_size=12, value_font_size=11,
              value_label_font_size=11, legend_font_size=12, title_font_size=15,
              tooltip_font_size=12, guide_stroke_color="#e5e5e5", guide_stroke_dasharray="0",
              major_guide_stroke_color="#cecece", major_guide_stroke_dasharray="0",
              opacity="1", opacity_hover=".8", value_colors=("white",) * len(COLOURS))
WIDTH = 800


@dataclass
class Figure:
    """Numbers of a chart: ``series`` is a list of (name, one number per category)."""

    categories: list[str]
    series: list[tuple[str, list[int]]]
    category_header: str = ""
    links: dict[str, str] = field(default_factory=dict)  # category -> IRI it stands for

    @property
    def empty(self) -> bool:
        return not self.categories

    def total(self) -> list[int]:
        return [sum(values[i] for _, values in self.series) for i in range(len(self.categories))]


def value(row: dict, key: str) -> str | None:
    cell = row.get(key)
    if cell is None:
        return None
    return cell if isinstance(cell, str) else cell.value


def count_by(rows: list[dict], category: str, counted: str, *, missing: str | None = None,
             name: str = "") -> Figure:
    """How many distinct ``counted`` values each ``category`` has, most first; rows without a
    category count under ``missing`` (or are left out when it is None)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        cat = value(row, category) or missing
        if cat is not None and value(row, counted) is not None:
            seen[cat].add(value(row, counted))
    ordered = sorted(seen, key=lambda c: (-len(seen[c]), c.casefold()))
    return Figure(ordered, [(name, [len(seen[c]) for c in ordered])])


def top(figure: Figure, limit: int | None) -> Figure:
    """The first ``limit`` categories (the chart shows them; the table and CSV have all)."""
    if limit is None or len(figure.categories) <= limit:
        return figure
    series = [(n, v[:limit]) for n, v in figure.series]
    return Figure(figure.categories[:limit], series, figure.category_header, figure.links)


def stacked_by(rows: list[dict], category: str, stack: str, counted: str) -> Figure:
    """Counts of ``counted`` per ``category`` (in order) and per ``stack`` (one series each)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        cat, part, item = value(row, category), value(row, stack) or "?", value(row, counted)
        if cat is None or item is None or (cat, part, item) in seen:
            continue
        seen.add((cat, part, item))
        counts[part][cat] += 1
    categories = sorted({c for counter in counts.values() for c in counter})
    parts = sorted(counts, key=lambda p: -sum(counts[p].values()))
    return Figure(categories, [(p, [counts[p][c] for c in categories]) for p in parts])


def csv_text(figure: Figure) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    single = len(figure.series) == 1
    writer.writerow([figure.category_header or "category",
                     *("count" if single and not n else n for n, _ in figure.series)])
    for i, cat in enumerate(figure.categories):
        writer.writerow([cat, *(values[i] for _, values in figure.series)])
    return out.getvalue()


def draw(figure: Figure, kind: str, title: str) -> str:
    """The SVG of a chart: ``kind`` is ``hbar`` (long labels, most first), ``bar`` or
    ``stacked`` (several series)."""
    many = len(figure.categories)
    if kind == "hbar":
        chart = pygal.HorizontalBar(height=max(260, 60 + 24 * many))
    elif kind == "stacked":
        chart = pygal.StackedBar(height=420, x_label_rotation=0 if many <= 12 else 45)
    else:
        chart = pygal.Bar(height=360)
    chart.config(style=STYLE, width=WIDTH, title=title, js=[], print_values=True,
                 show_legend=len(figure.series) > 1, legend_at_bottom=True,
                 truncate_label=-1, truncate_legend=-1, print_zeroes=False, margin=12,
                 value_formatter=lambda v: f"{v:g}" if v else "", explicit_size=True,
                 disable_xml_declaration=False)
    # counts are whole numbers: whole ticks only, about ten of them at most
    highest = max([0, *(figure.total() if kind == "stacked" else
                        [v for _, values in figure.series for v in values])])
    chart.y_labels = list(range(0, highest + 1, max(1, ceil(highest / 10))))
    if kind == "hbar":
        # a horizontal bar chart draws its first category at the bottom: reverse so that the
        # largest reads first, as in the table
        chart.x_labels = list(reversed(figure.categories))
        for name, values in figure.series:
            chart.add(name or title, list(reversed(values)))
    else:
        chart.x_labels = figure.categories
        for name, values in figure.series:
            chart.add(name or title, values)
    return chart.render(is_unicode=True)


@dataclass(frozen=True)
class Reader:
    """Who the chart is drawn for: the language, its words, and the labels of IRIs."""

    lang: str
    words: Callable[..., str]  # words(key, **values)
    name: Callable[[str], str]  # the label of an IRI


@dataclass(frozen=True)
class Chart:
    """One chart of the figures page: its named query, and how its rows become numbers."""

    name: str  # URL name: /-/figures/<name>.svg
    query: str  # the named query (queries/<query>.rq)
    kind: str  # hbar, bar or stacked
    title: dict[str, str]
    header: dict[str, str]  # the categories' column header
    numbers: Callable[[list[dict], Reader], Figure]
    limit: int | None = None  # categories drawn (the table and the CSV have them all)


def _by_organisation(rows, reader: Reader) -> Figure:
    return count_by(rows, "organisationName", "project")


def _by_technology(rows, reader: Reader) -> Figure:
    return count_by(rows, "technologyName", "project")


def _by_licence(rows, reader: Reader) -> Figure:
    return count_by(rows, "licence", "project", missing=reader.words("figures.licence.none"))


def _events_per_year(rows, reader: Reader) -> Figure:
    figure = stacked_by(rows, "year", "kind", "event")
    figure.series = [(reader.name(kind), values) for kind, values in figure.series]
    return figure


def _sessions_per_day(rows, reader: Reader) -> Figure:
    figure = Figure([], [("", [])])
    for row in sorted(rows, key=lambda r: value(r, "date") or ""):
        day = value(row, "date")
        try:
            shown = format_date(date.fromisoformat(day), format="full", locale=reader.lang)
        except (TypeError, ValueError):
            shown = day
        figure.categories.append(shown)
        figure.series[0][1].append(int(value(row, "sessions") or 0))
    return figure


CHARTS: tuple[Chart, ...] = (
    Chart("projects-by-organisation", "projects-by-organisation", "hbar",
          {"fr": "Projets par organisation", "en": "Projects by organisation"},
          {"fr": "Organisation", "en": "Organisation"}, _by_organisation, 25),
    Chart("projects-by-technology", "projects-by-technology", "hbar",
          {"fr": "Projets par technologie (les 20 plus utilisées)",
           "en": "Projects by technology (the 20 most used)"},
          {"fr": "Technologie", "en": "Technology"}, _by_technology, 20),
    Chart("projects-by-licence", "projects-by-licence", "hbar",
          {"fr": "Projets par licence", "en": "Projects by licence"},
          {"fr": "Licence", "en": "Licence"}, _by_licence),
    Chart("events-per-year", "bluehats-events-by-year", "stacked",
          {"fr": "Événements BlueHats par année et par nature",
           "en": "BlueHats events per year and kind"},
          {"fr": "Année", "en": "Year"}, _events_per_year),
    Chart("sessions-per-day", "sessions-per-day", "bar",
          {"fr": "Sessions par jour", "en": "Sessions per day"},
          {"fr": "Jour", "en": "Day"}, _sessions_per_day),
)
CHARTS_BY_NAME = {c.name: c for c in CHARTS}
