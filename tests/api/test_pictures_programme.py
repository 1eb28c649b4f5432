"""The programme grid and its iCalendar export (``api/pictures/programme.py``,
``api/pictures/calendar.py``, routes in ``api/routes/pictures.py``): the pure grid model on
small cases, then the real garagethon (two days, 9 + 10 sessions, no room given by the source)
through the model, the pages and a real uvicorn server."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from itertools import pairwise

import httpx
import icalendar
import pytest

from api.descriptions import Value
from api.pictures import calendar
from api.pictures.programme import Session, build, programme
from kg.namespaces import BH
from tests.api.web import BROWSER, built_app, make_var_dir  # noqa: F401

PARIS = timezone(timedelta(hours=1))
EVENT = "https://w3id.org/bluehats-kg/event/garagethon-2024"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=PARIS)


def session(ident: str, start=None, end=None, room=None, **kw) -> Session:
    room_value = Value(room, href=f"/place/{room}", iri=f"urn:room:{room}") if room else None
    return Session(ident, f"/session/{ident}", ident.upper(), start, end, room=room_value, **kw)


# --- the model ----------------------------------------------------------------------------


def test_parallel_sessions_sit_side_by_side_and_follow_on_in_a_column():
    prog = build([session("a", at(9, 14), at(9, 16)), session("b", at(9, 14), at(9, 15)),
                  session("c", at(9, 15), at(9, 16)), session("d", at(9, 14, 30), at(9, 15))])
    day = prog.days[0]
    assert [t.strftime("%H:%M") for t in day.times] == ["14:00", "14:30", "15:00", "15:30"]
    where = {p.session.iri: (p.row, p.span, p.column) for p in day.placed}
    assert where["a"] == (1, 4, 1)  # the longest first, spanning the four half-hours
    assert where["b"] == (1, 2, 2)
    assert where["c"] == (3, 2, 2)  # follows b in the column b has freed
    assert where["d"] == (2, 1, 3)
    assert day.columns == 3 and [lane.room for lane in day.lanes] == [None]


def test_rooms_are_lanes_and_the_room_not_given_comes_last():
    prog = build([session("x", at(9, 10), at(9, 11)), session("y", at(9, 10), at(9, 11), "zola"),
                  session("z", at(9, 10), at(9, 11), "ada"), session("w", at(9, 10), at(9, 11), "ada")])
    day = prog.days[0]
    assert [(lane.room.text if lane.room else None, lane.first_column, lane.columns)
            for lane in day.lanes] == [("ada", 1, 2), ("zola", 3, 1), (None, 4, 1)]
    assert prog.rooms_given


def test_sessions_without_time_are_apart_and_without_end_get_one_step():
    prog = build([session("a", at(9, 14), at(9, 15)), session("b", at(9, 15)),
                  session("c", day=datetime(2024, 1, 10).date()), session("d")])
    assert [s.iri for s in prog.untimed] == ["c", "d"]  # the day known first
    (day,) = prog.days
    assert {p.session.iri: p.span for p in day.placed} == {"a": 1, "b": 1}
    assert prog.count == 4


def test_rows_leave_out_the_cells_a_long_session_covers():
    day = build([session("a", at(9, 9), at(9, 10, 30)), session("b", at(9, 9), at(9, 9, 30)),
                 session("c", at(9, 10), at(9, 10, 30))]).days[0]
    rows = [[c.session.iri if c else None for c in cells] for _, cells in day.rows()]
    assert rows == [["a", "b"], [None], ["c"]]


# --- the real garagethon -------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(built):
    from kg.store import open_read_only
    from kg.store.describe import Graph

    return Graph(open_read_only(built.path / "store"), built.settings.base_iri)


def graph_sessions(graph) -> dict[str, dict]:
    """The garagethon's sessions as the graph states them (start literal, room)."""
    out = {}
    for iri in graph.subjects(BH + "partOfEvent", EVENT):
        if BH + "Session" in graph.types(iri):
            out[iri] = {"start": graph.objects(iri, BH + "startDate")[0].value,
                        "rooms": graph.objects(iri, BH + "room")}
    return out


def test_garagethon_programme_has_two_days_of_nine_and_ten_sessions(graph, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    prog = programme(graph, EVENT, "fr")
    assert [d.day.isoformat() for d in prog.days] == ["2024-01-09", "2024-01-10"]
    tuesday, wednesday = prog.days
    assert len(tuesday.placed) == 9 and len(wednesday.placed) == 10
    assert tuesday.times[0].strftime("%H:%M") == "14:00"
    assert min(s.start for s in tuesday.sessions) == at(9, 14)
    assert not prog.untimed
    # the source gives no room: every session is in the lane "room not given", and the lane
    # needs several columns for the parallel sessions
    stated = graph_sessions(graph)
    assert all(not v["rooms"] for v in stated.values())
    assert [lane.room for lane in tuesday.lanes] == [None] and tuesday.columns >= 4
    assert {s.iri for d in prog.days for s in d.sessions} == set(stated)
    # no two sessions of one column overlap
    for day in prog.days:
        for col in range(1, day.columns + 1):
            cells = sorted((p.row, p.row + p.span) for p in day.placed if p.column == col)
            assert all(a[1] <= b[0] for a, b in pairwise(cells))


def test_garagethon_calendar_parses_back_with_19_events(graph, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    body = calendar.calendar(programme(graph, EVENT, "en"), name="Garagethon",
                             site="http://example.test", stamp=datetime(2024, 1, 1, tzinfo=UTC))
    cal = icalendar.Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 19
    stated = graph_sessions(graph)
    assert {str(e["UID"]) for e in events} == set(stated)
    for e in events:
        start = e.decoded("DTSTART")
        assert e["DTSTART"].params["TZID"] == "Europe/Paris"
        assert start.utcoffset() == timedelta(hours=1)
        assert start == datetime.fromisoformat(stated[str(e["UID"])]["start"])
        assert str(e["URL"]).startswith("http://example.test/session/")
    assert len(list(cal.walk("VTIMEZONE"))) == 1


# --- over HTTP ------------------------------------------------------------------------------


class Cells(HTMLParser):
    """The session cells of the programme tables: (rowspan, link) of each."""

    def __init__(self, text: str):
        super().__init__()
        self.cells: list[tuple[int, str]] = []
        self.tables = 0
        self._in_cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "programme-grid" in (a.get("class") or ""):
            self.tables += 1
        if tag == "td" and a.get("class") == "session":
            self._in_cell = int(a["rowspan"])
        if tag == "a" and self._in_cell is not None and "session-title" in (a.get("class") or ""):
            self.cells.append((self._in_cell, a["href"]))
            self._in_cell = None


def test_programme_page_and_calendar(built_app, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    page = built_app.get("/event/garagethon-2024/programme", headers={"accept-language": "fr"})
    assert page.status_code == 200 and page.headers["content-language"] == "fr"
    cells = Cells(page.text)
    assert cells.tables == 2 and len(cells.cells) == 19
    assert all(href.startswith("/session/") for _, href in cells.cells)
    assert "mardi 9 janvier 2024" in page.text and "Salle non précisée" in page.text
    assert "Tuesday, January 9, 2024" in built_app.get(
        "/event/garagethon-2024/programme?lang=en").text
    ics = built_app.get("/event/garagethon-2024/programme.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.headers["etag"] and "attachment" in ics.headers["content-disposition"]
    assert len(list(icalendar.Calendar.from_ical(ics.content).walk("VEVENT"))) == 19
    assert built_app.get("/event/no-such-event/programme").status_code == 404
    assert built_app.get("/event/no-such-event/programme.ics").status_code == 404
    assert built_app.get("/project/onyxia/programme").status_code == 404


HOSTILE = '<script>alert(1)</script> & "quotes"'


def hostile_trig() -> bytes:
    label = HOSTILE.replace('"', '\\"')
    return f"""
@prefix bh: <https://w3id.org/bluehats-kg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix b: <https://w3id.org/bluehats-kg/> .
<https://w3id.org/bluehats-kg/graph/t> {{
  b:event\\/e a bh:Event ; rdfs:label "{label}" .
  b:session\\/s1 a bh:Session ; bh:partOfEvent b:event\\/e ; rdfs:label "{label}" ;
     bh:startDate "2024-03-05T09:00:00+01:00"^^xsd:dateTime ; bh:room b:place\\/r .
  b:place\\/r rdfs:label "{label}" .
  b:session\\/s2 a bh:Session ; bh:partOfEvent b:event\\/e ; rdfs:label "Day only" ;
     bh:startDate "2024-03-06"^^xsd:date .
}}
""".encode()


def test_hostile_labels_are_escaped_and_a_date_only_session_is_apart(tmp_path, app_for):
    client = app_for(make_var_dir(tmp_path / "var", hostile_trig()))
    page = client.get("/event/e/programme", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert html.escape("<script>alert(1)</script>", quote=False) in page.text
    assert "Sessions whose time the source does not give" in page.text
    cal = icalendar.Calendar.from_ical(client.get("/event/e/programme.ics").content)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {HOSTILE, "Day only"}  # the text kept as it is, escaped by iCalendar
    assert str(events[HOSTILE]["LOCATION"]) == HOSTILE
    assert events["Day only"].decoded("DTSTART").isoformat() == "2024-03-06"


def test_calendar_over_a_real_server(serve, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    server = serve(built.settings.var_dir, query_workers=1)
    r = httpx.get(server.url + "/event/garagethon-2024/programme.ics", timeout=30)
    assert r.status_code == 200
    cal = icalendar.Calendar.from_ical(r.content)
    urls = sorted(str(e["URL"]) for e in cal.walk("VEVENT"))
    assert len(urls) == 19 and all(u.startswith(server.url + "/session/") for u in urls)
    first = httpx.get(urls[0], headers={"accept": BROWSER}, timeout=30)
    assert first.status_code == 200  # the URL in the calendar is the session's page
