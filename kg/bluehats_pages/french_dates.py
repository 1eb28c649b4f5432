"""Dates written out in French ("les 9 et 10 janvier 2024", "du 1er septembre 2022 au 28 février
2023"), read from a page's title or description to give an event its day or days.

Only complete phrases are read: a day and a month, the year either written or, when omitted
("les 19 et 20 novembre derniers"), taken from the page's own date. Anything else gives None.

>>> import datetime as dt
>>> span("Garagethon « Codons ! » des 9 et 10 janvier 2024")
(datetime.date(2024, 1, 9), datetime.date(2024, 1, 10))
>>> span("le premier sprint les 19 et 20 novembre derniers", year=2019)
(datetime.date(2019, 11, 19), datetime.date(2019, 11, 20))
>>> span("Journée du 1er juillet 2022")
(datetime.date(2022, 7, 1), None)
>>> span("du 1er septembre 2022 au 28 février 2023")
(datetime.date(2022, 9, 1), datetime.date(2023, 2, 28))
"""

from __future__ import annotations

import datetime as dt
import re

from kg.bluehats_pages.names import fold

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_M = "(" + "|".join(MONTHS) + ")"
_D = r"(\d{1,2})(?:er)?"
_Y = r"(?:\s+(\d{4}))?"
# "du 1er septembre 2022 au 28 février 2023"
_RANGE = re.compile(rf"\bdu\s+{_D}\s+{_M}{_Y}\s+au\s+{_D}\s+{_M}\s+(\d{{4}})\b")
# "les 9 et 10 janvier 2024", "des 4 et 5 décembre 2024", "9-10 janvier"
_PAIR = re.compile(rf"\b{_D}\s*(?:et|-|au)\s*{_D}\s+{_M}{_Y}\b")
# "le 27 mai 2024", "1er juillet 2022"
_ONE = re.compile(rf"\b{_D}\s+{_M}{_Y}\b")


def span(text: str, year: int | None = None) -> tuple[dt.date, dt.date | None] | None:
    """The first (start, end) written in ``text``; ``year`` fills a phrase that omits it."""
    t = fold(text)
    try:
        if m := _RANGE.search(t):
            d1, m1, y1, d2, m2, y2 = m.groups()
            end = dt.date(int(y2), MONTHS[m2], int(d2))
            start = dt.date(int(y1 or (end.year if MONTHS[m1] <= MONTHS[m2] else end.year - 1)),
                            MONTHS[m1], int(d1))
            return start, end
        if m := _PAIR.search(t):
            d1, d2, mo, y = m.groups()
            if (y or year) is None:
                return None
            yy = int(y or year)  # type: ignore[arg-type]
            return dt.date(yy, MONTHS[mo], int(d1)), dt.date(yy, MONTHS[mo], int(d2))
        if m := _ONE.search(t):
            d1, mo, y = m.groups()
            if (y or year) is None:
                return None
            return dt.date(int(y or year), MONTHS[mo], int(d1)), None  # type: ignore[arg-type]
    except ValueError:  # "31 février": not a date
        return None
    return None
