"""Scraped metadata lines (a date, a URL, "المصدر: …") → the article's date, source and publication.

A line is metadata only when it is nothing else: a date with an optional label
(``نُشر في 1 تشرين الأول/أكتوبر 2019`` · ``Published: October 1, 2019`` · ``2019-10-01``),
a labelled or bare web address (``المصدر: https://…`` · ``https://…``), or a labelled name
(``المصدر: يونيباث`` · ``Source: Unipath`` · ``Publication: Unipath``). Dates are read from the
text alone (never the clock): a relative date ("منذ 3 أيام") is not a date here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Month names → month number: English, Egyptian/Gulf Arabic, Levantine Arabic, Maghrebi Arabic.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        "january jan يناير كانون_الثاني جانفي",
        "february feb فبراير شباط فيفري",
        "march mar مارس آذار اذار",
        "april apr أبريل ابريل إبريل نيسان أفريل",
        "may مايو أيار ايار ماي",
        "june jun يونيو يونيه حزيران جوان",
        "july jul يوليو يوليه تموز جويلية",
        "august aug أغسطس اغسطس آب اب أوت",
        "september sep sept سبتمبر أيلول ايلول",
        "october oct أكتوبر اكتوبر تشرين_الأول تشرين_الاول",
        "november nov نوفمبر تشرين_الثاني",
        "december dec ديسمبر كانون_الأول كانون_الاول"), start=1):
    for _name in _names.split():
        MONTHS[_name.replace("_", " ")] = _number

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
#: A month, or two names of the same month ("تشرين الأول/أكتوبر", "أكتوبر (تشرين الأول)").
_MONTHS = rf"(?P<month>{_MONTH})\.?(?:\s*/\s*(?:{_MONTH})|\s*\((?:{_MONTH})\))?"
_WEEKDAY = (r"(?:(?:ال)?(?:أحد|اثنين|إثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة|سبت)|"
            r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?)\s*[,،]?\s*")
_TIME = r"(?:\s*[-–|,،]?\s*(?:at\s+|الساعة\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:[apAP]\.?[mM]\.?|ص|م|GMT|UTC))?)?"
_DATE_FORMS = (
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:من\s+)?{_MONTHS}\s*[,،]?\s+(?P<year>\d{{4}})\s*م?",
    rf"{_MONTHS}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]\s*(?P<year>\d{{4}})",
    r"(?P<year>\d{4})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})",
    r"(?P<first>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<second>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})",
    rf"{_MONTHS}\s*[,،]?\s+(?P<year>\d{{4}})\s*م?",
)
_DATE_LABEL = (r"(?:نشر\s+(?:في|بتاريخ|يوم)|تاريخ\s+النشر|بتاريخ|التاريخ|آخر\s+تحديث|تم\s+النشر|"
               r"نشر|published(?:\s+on)?|posted(?:\s+on)?|date|updated(?:\s+on)?|last\s+updated|"
               r"first\s+published)")
_DATE_LINE = [re.compile(rf"^(?:(?P<label>{_DATE_LABEL})\s*[:：-]?\s*)?(?:{_WEEKDAY})?{form}{_TIME}$",
                         re.IGNORECASE) for form in _DATE_FORMS]
_URL = r"<?(?P<url>https?://[^\s<>]+?)>?"
_SOURCE_LABEL = (r"(?:المصدر|مصدر المقال|المصدر الأصلي|الرابط|رابط المقال|رابط الخبر|المقال الأصلي|"
                 r"source|original(?:\s+article)?|url|link|permalink|read the original)")
_PUBLICATION_LABEL = r"(?:المجلة|الصحيفة|الناشر|المطبوعة|publication|publisher|magazine|newspaper)"
_URL_LINE = re.compile(rf"^(?:{_SOURCE_LABEL}\s*[:：]\s*)?{_URL}[.]?$", re.IGNORECASE)
_NAMED = re.compile(rf"^(?P<label>{_SOURCE_LABEL}|{_PUBLICATION_LABEL})\s*[:：]\s*(?P<name>[^:：]+?)"
                    rf"(?:\s*[-–—|،,]\s*{_URL})?[.]?$", re.IGNORECASE)
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class Meta:
    """What one metadata line says (any field may be empty); ``unsure`` explains a guess."""

    date: dt.date | None = None
    source: str = ""
    publication: str = ""
    labelled: bool = False  # the line says what it is ("Published:", "المصدر:") rather than just being it
    unsure: str = ""


def _plain(line: str) -> str:
    return _DIACRITICS.sub("", line.translate(_DIGITS)).strip()


def read_date(line: str, lang: str = "ar") -> Meta | None:
    """A line that is a date, with an optional label ("نُشر في", "Published:") and time; else None."""
    text = _plain(line)
    for pattern in _DATE_LINE:
        match = pattern.match(text)
        if match is None:
            continue
        parts = match.groupdict()
        unsure = ""
        month = parts.get("month")
        if month is not None and not month.isdigit():
            month_number = MONTHS[month.casefold()]
        elif month is not None:
            month_number = int(month)
        else:  # dd/mm/yyyy or mm/dd/yyyy
            first, second = int(parts["first"]), int(parts["second"])
            day_first = lang != "en" or first > 12
            if lang == "en" and second > 12:
                day_first = False
            if first <= 12 and second <= 12 and first != second:
                unsure = (f"{parts['first']}/{parts['second']} read as "
                          + ("day/month" if day_first else "month/day"))
            parts["day"] = str(first if day_first else second)
            month_number = second if day_first else first
        day = int(parts["day"]) if parts.get("day") else 1
        if not parts.get("day"):
            unsure = "the line gives no day: the 1st is assumed"
        try:
            date = dt.date(int(parts["year"]), month_number, day)
        except ValueError:
            return None
        return Meta(date=date, labelled=bool(parts.get("label")), unsure=unsure)
    return None


def read_source(line: str) -> Meta | None:
    """A labelled or bare web address, or a labelled publication name; else None."""
    text = line.strip()
    match = _URL_LINE.match(text)
    if match:
        url = match["url"].rstrip(".,،)")
        return Meta(source=url, labelled=not text.startswith(("http", "<")))
    match = _NAMED.match(text)
    if match is None:
        return None
    name = match["name"].strip().strip("«»\"“”'")
    if not name or len(name.split()) > 8 or re.search(r"[.!؟?]\s", name):
        return None
    return Meta(source=(match["url"] or "").rstrip(".,،)"), publication=name, labelled=True)


def read(line: str, lang: str = "ar") -> Meta | None:
    """The metadata a whole line gives, or None when the line is something else."""
    if len(line) > 300:  # a paragraph, not a date, address or name
        return None
    return read_date(line, lang) or read_source(line)


def photo_hint(urls: list[str]) -> str:
    """What the photos' addresses suggest when the text has no metadata: their site and, for
    WordPress uploads (``/wp-content/uploads/2019/10/``), the month they were uploaded."""
    sites = {f"{p.scheme}://{p.netloc}/" for p in map(urlsplit, urls) if p.scheme in ("http", "https")}
    months = {f"{m[1]}-{m[2]}" for u in urls if (m := re.search(r"/uploads/(\d{4})/(\d{2})/", u))}
    hints = []
    if len(sites) == 1:
        hints.append(f"the photos come from {sites.pop()}")
    if len(months) == 1:
        hints.append(f"were uploaded in {months.pop()}")
    return " and ".join(hints)
