"""The programme of an event as an iCalendar file (RFC 5545), written by ``icalendar``.

One VEVENT per session: its title, start and end in the event's time zone (Europe/Paris for
BlueHats events; the instant is the one the graph states), its room, the link to its page as
URL, and its speakers and projects in the description. A session whose source gives only a
day is an all-day event; one with no date at all cannot be placed in a calendar and is left out.
The UID is the session's IRI, so a calendar application updates rather than duplicates a
session when the file is imported again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from api.pictures.programme import Programme, Session

TIME_ZONE = ZoneInfo("Europe/Paris")
PRODID = "-//BlueHats knowledge graph//programme//EN"


def _description(s: Session, words: dict[str, str]) -> str:
    lines = []
    if s.kind:
        lines.append(s.kind)
    if s.speakers:
        lines.append(f"{words['speakers']}: " + ", ".join(v.text for v in s.speakers))
    if s.projects:
        lines.append(f"{words['projects']}: " + ", ".join(v.text for v in s.projects))
    if s.time_as_given:
        lines.append(f"{words['as_given']}: {s.time_as_given}")
    return "\n".join(lines)


def _event(s: Session, site: str, stamp: datetime, location: str | None,
           words: dict[str, str]) -> icalendar.Event | None:
    event = icalendar.Event()
    event.add("uid", s.iri)
    event.add("dtstamp", stamp)
    event.add("summary", s.title)
    if s.start is not None:
        start = s.start.astimezone(TIME_ZONE) if s.start.tzinfo else s.start
        event.add("dtstart", start)
        if s.end is not None and s.end > s.start:
            event.add("dtend", s.end.astimezone(TIME_ZONE) if s.end.tzinfo else s.end)
    elif s.day is not None:
        event.add("dtstart", s.day)
        event.add("dtend", s.day + timedelta(days=1))
    else:
        return None
    room = s.room.text if s.room else location
    if room:
        event.add("location", room)
    event.add("url", site + s.href)
    description = _description(s, words)
    if description:
        event.add("description", description)
    return event


def calendar(programme: Programme, *, name: str, site: str, stamp: datetime,
             location: str | None = None, words: dict[str, str] | None = None) -> bytes:
    """The ``.ics`` file of ``programme``: ``site`` is the server's origin (for the sessions'
    URLs), ``stamp`` the DTSTAMP (the build's time, so that the file is stable), ``location``
    the event's venue for sessions whose room is not given."""
    words = words or {"speakers": "Speakers", "projects": "Projects", "as_given": "As given"}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIME_ZONE.key)
    timed = [s for d in programme.days for s in sorted(d.sessions, key=lambda s: (s.start, s.title))]
    for s in timed + programme.untimed:
        event = _event(s, site, stamp, location, words)
        if event is not None:
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
