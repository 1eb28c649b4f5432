"""The programme of an event as a grid: one table per day, times down, rooms across.

Each day's grid has a row per time step (the largest step that fits every start and end, e.g.
30 minutes) and a lane per room; a session spans the rows of its duration. Sessions that
overlap in the same lane (parallel sessions, or every session when the source gives no room)
get columns of their own inside the lane, side by side. Sessions whose room the source does
not give go to a lane labelled so; sessions whose time it does not give are listed apart.

The model is plain data (``build`` is pure); ``load`` reads an event's sessions from the graph.

>>> from datetime import datetime, timedelta, timezone
>>> tz = timezone(timedelta(hours=1))
>>> a = Session("a", "/a", "A", datetime(2024, 1, 9, 14, tzinfo=tz), datetime(2024, 1, 9, 15, tzinfo=tz))
>>> b = Session("b", "/b", "B", datetime(2024, 1, 9, 14, 30, tzinfo=tz), None)
>>> day = build([a, b]).days[0]
>>> [t.strftime("%H:%M") for t in day.times], day.columns
(['14:00', '14:30'], 2)
>>> [(p.session.title, p.row, p.span, p.column) for p in day.placed]
[('A', 1, 2, 1), ('B', 2, 1, 2)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil, gcd

from api.descriptions import Presenter, Value
from kg.namespaces import BH, XSD
from kg.store.describe import Graph

SESSION = BH + "Session"
MIN_STEP = 5  # minutes: a finer grid would be unreadable


@dataclass
class Session:
    iri: str
    href: str
    title: str
    start: datetime | None = None  # None when the source gives no time
    end: datetime | None = None
    day: date | None = None  # the day when only a date is given
    kind: str | None = None
    room: Value | None = None  # None: the source gives no room
    speakers: list[Value] = field(default_factory=list)
    projects: list[Value] = field(default_factory=list)
    time_as_given: str | None = None

    @property
    def date(self) -> date | None:
        return self.start.date() if self.start else self.day


@dataclass
class Placed:
    """A session in a day's grid: rows and columns counted from 1 (times and rooms apart)."""

    session: Session
    row: int
    span: int
    column: int


@dataclass
class Lane:
    room: Value | None  # None: the lane of the sessions whose room is not given
    first_column: int
    columns: int


@dataclass
class Day:
    day: date
    times: list[time]
    step: int  # minutes a row stands for
    lanes: list[Lane]
    placed: list[Placed]

    @property
    def columns(self) -> int:
        return sum(lane.columns for lane in self.lanes)

    @property
    def sessions(self) -> list[Session]:
        return [p.session for p in self.placed]

    def rows(self) -> list[tuple[time, list[Placed | None]]]:
        """The grid as table rows: each time with its cells, left to right; a cell is the
        session starting there or None (empty); cells covered by a longer session from an
        earlier row are left out, as an HTML table with ``rowspan`` expects.

        >>> from datetime import datetime
        >>> a = Session("a", "/a", "A", datetime(2024, 1, 9, 14), datetime(2024, 1, 9, 15))
        >>> b = Session("b", "/b", "B", datetime(2024, 1, 9, 14, 30), None)
        >>> [(t.strftime("%H:%M"), [c and c.session.title for c in cells])
        ...  for t, cells in build([a, b]).days[0].rows()]
        [('14:00', ['A', None]), ('14:30', ['B'])]
        """
        starts = {(p.row, p.column): p for p in self.placed}
        covered = {(p.row + i, p.column) for p in self.placed for i in range(1, p.span)}
        out = []
        for r, t in enumerate(self.times, start=1):
            cells = [starts.get((r, c)) for c in range(1, self.columns + 1)
                     if (r, c) not in covered]
            out.append((t, cells))
        return out


@dataclass
class Programme:
    days: list[Day]
    untimed: list[Session]  # the sessions whose time the source does not give

    @property
    def count(self) -> int:
        return sum(len(d.placed) for d in self.days) + len(self.untimed)

    @property
    def rooms_given(self) -> bool:
        return any(lane.room is not None for d in self.days for lane in d.lanes)


def _minutes(t: datetime) -> int:
    return t.hour * 60 + t.minute


def _has_end(s: Session) -> bool:
    return s.end is not None and s.end > s.start


def _end(s: Session, step: int) -> datetime:
    """Where a session ends in the grid: a session without an end is drawn one step long."""
    return s.end if _has_end(s) else s.start + timedelta(minutes=step)


def _step(sessions: list[Session]) -> int:
    step = 60
    for s in sessions:
        step = gcd(step, _minutes(s.start), _minutes(s.end) if _has_end(s) else 0)
    return max(step, MIN_STEP)


def _columns(sessions: list[Session], step: int) -> list[list[Session]]:
    """Sessions split into columns where none overlaps another (earliest start first, the
    longest first among equals, each into the first column free by then)."""
    columns: list[list[Session]] = []
    for s in sorted(sessions, key=lambda s: (s.start, s.start - _end(s, step), s.title)):
        for col in columns:
            if _end(col[-1], step) <= s.start:
                col.append(s)
                break
        else:
            columns.append([s])
    return columns


def _day(day: date, sessions: list[Session]) -> Day:
    step = _step(sessions)
    first = min(_minutes(s.start) for s in sessions) // step * step
    last = max(_minutes(s.start) + ceil((_end(s, step) - s.start).total_seconds() / 60)
               for s in sessions)
    times = [time(m // 60, m % 60) for m in range(first, last, step)]
    rooms: dict[str | None, list[Session]] = {}
    for s in sessions:
        rooms.setdefault(s.room.iri if s.room else None, []).append(s)
    keys = sorted((k for k in rooms if k is not None),
                  key=lambda k: rooms[k][0].room.text.casefold())
    if None in rooms:
        keys.append(None)  # the lane "room not given" comes last
    lanes, placed, column = [], [], 1
    for key in keys:
        cols = _columns(rooms[key], step)
        lanes.append(Lane(rooms[key][0].room if key else None, column, len(cols)))
        for i, col in enumerate(cols):
            for s in col:
                start = _minutes(s.start)
                span = max(1, ceil((_end(s, step) - s.start).total_seconds() / 60 / step))
                placed.append(Placed(s, (start - first) // step + 1, span, column + i))
        column += len(cols)
    placed.sort(key=lambda p: (p.row, p.column))
    return Day(day, times, step, lanes, placed)


def build(sessions: list[Session]) -> Programme:
    """The grid of ``sessions`` (pure: no graph involved)."""
    by_day: dict[date, list[Session]] = {}
    untimed = []
    for s in sessions:
        if s.start is None:
            untimed.append(s)
        else:
            by_day.setdefault(s.start.date(), []).append(s)
    untimed.sort(key=lambda s: (s.day or date.max, s.title.casefold()))
    return Programme([_day(d, by_day[d]) for d in sorted(by_day)], untimed)


# --- from the graph ----------------------------------------------------------------------------


def _when(value: str, datatype: str | None) -> tuple[datetime | None, date | None]:
    """A start or end literal: (date-time, None) when a time is given, (None, day) for a date."""
    try:
        if datatype == XSD + "date":
            return None, date.fromisoformat(value[:10])
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, None
    return moment, None


def load(graph: Graph, event: str, lang: str) -> list[Session]:
    """The sessions of ``event`` (``bh:partOfEvent``) as the reader of ``lang`` sees them."""
    show = Presenter(graph, lang)
    out = []
    for iri in graph.subjects(BH + "partOfEvent", event):
        if SESSION not in graph.types(iri):
            continue
        values: dict[str, list] = {}
        for st in graph.statements(iri):
            values.setdefault(st.predicate, []).append(st.object)
        start = values.get(BH + "startDate", [None])[0]
        end = values.get(BH + "endDate", [None])[0]
        moment, day = _when(start.value, start.datatype) if start else (None, None)
        finish = _when(end.value, end.datatype)[0] if end else None
        if moment is None or (finish is not None
                              and (finish.tzinfo is None) != (moment.tzinfo is None)):
            finish = None  # an end that cannot be compared with the start
        rooms = [show.value(t) for t in values.get(BH + "room", []) if t.is_iri]
        kinds = [show.name(t.value) for t in values.get(BH + "sessionKind", []) if t.is_iri]
        given = values.get(BH + "timeAsGiven", [])
        people = {t.value: t for p in ("speaker", "facilitator") for t in values.get(BH + p, [])
                  if t.is_iri}
        out.append(Session(
            iri=iri, href=show.iri_value(iri).href, title=show.name(iri), start=moment,
            end=finish, day=day, kind=kinds[0] if kinds else None,
            room=rooms[0] if rooms else None,
            speakers=show.sort_values([show.value(t) for t in people.values()]),
            projects=show.sort_values([show.value(t) for t in values.get(BH + "aboutProject", [])
                                       if t.is_iri]),
            time_as_given=given[0].value if given else None,
        ))
    return out


def programme(graph: Graph, event: str, lang: str) -> Programme:
    return build(load(graph, event, lang))
