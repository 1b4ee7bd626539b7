"""A seed → a varied Arabic Markdown article (numbers, dates, acronyms, links, quotes, figures).

Templates over a word list written for the tests, never tuned on: every kind of number (integers,
years, "1,500", "3.5", "35%", "٣٥٪", signed, ranges, Arabic-Indic digits and separators, times,
telephone numbers), dates ("2 أيلول/سبتمبر 2019"), Latin codes with digits ("CTF-150"), acronyms
in brackets ("(ناتو NATO)"), URLs, e-mail addresses, brackets, «quotes» and "quotes", short and
long paragraphs, sub-headings, block quotes and figures with every form of credit — photos from
the project's images/, missing ones (placeholders, a warning each) and uncredited ones (a warning).
The same seed always gives the same article.

    python -m tests.corpus.generate OUT_DIR [--count 30] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PHOTOS = ("images/180816-Z-BT406-0647_edit.jpg", "images/180817-Z-ID851-1004-edit.jpg")

PLACES = ("عمّان", "بيروت", "الدوحة", "تونس", "الرباط", "مسقط", "الخرطوم", "نواكشوط", "أربيل",
          "الإسكندرية", "حلب", "صنعاء", "طرابلس", "الكويت", "المنامة", "جدة", "وهران", "صفاقس",
          "إربد", "الموصل", "أغادير", "بنغازي", "صلالة", "العقبة")
MEN = ("يوسف العلي", "خالد المنصوري", "طارق بوزيد", "فيصل القحطاني", "سامي النجار", "حسن الزعبي",
       "كريم بلحاج", "منصور الحربي", "جود الأيوبي")
WOMEN = ("سلمى الخطيب", "مريم بن سالم", "نادية حداد", "رنا الكيلاني", "هدى العباسي", "دينا عبد الرحمن",
         "إيمان الطاهر", "عبلة الشامي", "لمياء القاسمي")
PEOPLE = MEN + WOMEN
ROLES_M = ("مدير البرنامج", "رئيس البلدية", "المتحدث باسم المنظمة", "مهندس المشروع", "قائد الوحدة",
           "المحلل المالي", "أستاذ علم المناخ")
ROLES_F = ("وزيرة التخطيط", "الباحثة في الاقتصاد", "أستاذة علم المناخ", "الخبيرة في شؤون المياه",
           "رئيسة الجمعية", "مديرة المدرسة", "المتحدثة باسم الوزارة")
TOPICS = ("الطاقة الشمسية", "المياه", "التعليم", "النقل العام", "الزراعة", "الرعاية الصحية", "السياحة",
          "الإسكان", "الأمن الغذائي", "الاتصالات", "إعادة التدوير", "الكهرباء", "الصيد البحري")
PEOPLE_GROUPS = ("المتطوعين", "الطلاب", "المزارعين", "الأسر", "اللاجئين", "المعلمين", "الممرضات",
                 "الصيادين", "العمال", "الجنود", "الزوار", "المشتركين")
COMMODITIES = ("القمح", "الأرز", "الوقود", "زيت الزيتون", "الأسمدة", "الحديد", "السكر", "الدواء")
#: (name, Arabic short form or "", Latin acronym)
ORGS = (
    ("حلف شمال الأطلسي", "ناتو", "NATO"),
    ("منظمة الصحة العالمية", "", "WHO"),
    ("صندوق النقد الدولي", "", "IMF"),
    ("منظمة الأمم المتحدة للتربية والعلم والثقافة", "يونسكو", "UNESCO"),
    ("برنامج الأغذية العالمي", "", "WFP"),
    ("الوكالة الدولية للطاقة الذرية", "", "IAEA"),
    ("الاتحاد الدولي لكرة القدم", "فيفا", "FIFA"),
    ("مفوضية الأمم المتحدة لشؤون اللاجئين", "", "UNHCR"),
    ("منظمة العمل الدولية", "", "ILO"),
    ("وكالة الأمم المتحدة لإغاثة وتشغيل اللاجئين", "الأونروا", "UNRWA"),
    ("منظمة الأغذية والزراعة", "فاو", "FAO"),
)
#: Latin codes with digits, by what they name (so that each sentence makes sense)
NAVAL = ("CTF-150", "CTF-151", "TF-53")
AIRCRAFT = ("F-16", "A320", "MQ-9", "B-52", "C-130", "Sentinel-2")
STANDARDS = ("ISO 9001", "Euro 6", "Wi-Fi 6", "ISO/IEC 27001", "PM2.5")
OTHER_CODES = ("COVID-19", "H5N1", "G20", "SDG-4", "UNSCR 1325", "4K")
DOMAINS = ("example.org", "example.com", "example.net", "news.example.org", "data.example.gov")
URL_PATHS = ("ar/report-2019", "stats?year=2020&lang=ar", "ar", "docs/plan_2030.pdf", "media/gallery",
             "en/press/2021/05/12")
MAILBOXES = ("info", "press", "media.office", "contact-ar", "s.haddad", "editor2020")
MONTHS = (("كانون الثاني", "يناير"), ("شباط", "فبراير"), ("آذار", "مارس"), ("نيسان", "أبريل"),
          ("أيار", "مايو"), ("حزيران", "يونيو"), ("تموز", "يوليو"), ("آب", "أغسطس"),
          ("أيلول", "سبتمبر"), ("تشرين الأول", "أكتوبر"), ("تشرين الثاني", "نوفمبر"),
          ("كانون الأول", "ديسمبر"))
QUOTES = ("لن نتوقف حتى يحصل كل طفل على مقعد في المدرسة", "الأرقام وحدها لا تروي القصة كاملة",
          "نحن أمام فرصة لن تتكرر", "العمل الجماعي هو سر النجاح", "ما زال أمامنا طريق طويل",
          "كل يوم تأخير يكلفنا الكثير", "الثقة تبنى بالأفعال لا بالأقوال",
          "لم نكن نتوقع هذا الإقبال الكبير", "المياه هي التحدي الأكبر في السنوات المقبلة",
          "نريد أن يشعر الناس بالفرق في حياتهم اليومية", "التكنولوجيا وسيلة وليست غاية",
          "الشباب هم الثروة الحقيقية لهذا البلد", "لكننا تعلمنا الكثير من أخطائنا")
ASIDES = ("تم تغيير أسماء بعض الأشخاص حفاظا على خصوصيتهم.", "الأرقام مقربة إلى أقرب عدد صحيح.",
          "لم تتمكن المجلة من التحقق من هذه الأرقام بشكل مستقل.", "المصدر: تقارير رسمية منشورة.")
SHORT = ("وهذا ليس كل شيء.", "لكن الصورة لم تكتمل بعد.", "والسؤال الآن: ماذا بعد؟", "ولم يكن ذلك سهلا.",
         "الأمر مختلف هذه المرة.", "وتبقى التفاصيل مهمة.")
HEADINGS = ("خلفية المشروع", "أرقام لافتة", "ما الذي تغير؟", "تحديات قائمة", "الطريق إلى {year}",
            "شهادات من الميدان", "خطة {year_range}", "ردود الفعل", "نظرة إلى المستقبل", "الجانب التقني",
            "{int} عاما من العمل", "دروس مستفادة", "بين الأمل والحذر", "التمويل والشفافية")
SECTIONS = ("تقارير", "اقتصاد", "بيئة", "صحة", "تعليم", "مجتمع", "علوم", "أمن")
PUBLICATIONS = ("آفاق", "الرصيف", "مدارات", "نوافذ", "البوصلة")
TITLES = ("{topic_cap} في {place}: خطوات أولى نحو {year}", "كيف غيّر مشروع صغير حياة {int} أسرة",
          "{place} تراهن على {topic}", "بالأرقام: {topic} بين {year_range}",
          "{org_short} تطلق برنامجا جديدا في {place}", "عام {year} في {place}",
          "ما وراء {percent} من الإنجاز")
DECKS = ("تقرير ميداني عن مشروع يجمع {org_bracket} والسلطات المحلية في {place}",
         "بين {year_range} تضاعفت الأرقام، لكن الأسئلة بقيت كما هي",
         "يرى خبراء أن نسبة {percent} ليست سوى البداية",
         "قصة {thousands} من {people} يعيدون رسم ملامح مدينتهم")
SENTENCES = (
    "وفي عام {year}، أعلنت {org_bracket} عن خطة جديدة لدعم قطاع {topic} في {place}.",
    "وبحسب الأرقام الرسمية، ارتفعت نسبة المستفيدين إلى {percent} خلال الفترة {year_range}.",
    "وقال {role_m} {man} في {date}: «{quote}».",
    "وقالت {role_f} {woman} في {date}: «{quote}».",
    "وأوضح التقرير أن نحو {thousands} من {people} شاركوا في المرحلة الأولى من المشروع.",
    "وبلغ متوسط النمو السنوي {decimal} في المئة، وهو رقم لم يسجل منذ عام {year}.",
    "وسجلت درجات الحرارة تغيرا قدره {signed} درجة مئوية عن معدلها في شهر {month}.",
    "ويمكن الاطلاع على التقرير الكامل عبر الموقع {url} أو طلب نسخة منه على العنوان {email}.",
    "وشاركت وحدات من قوة المهام المشتركة {naval} في تدريبات قرب سواحل {place}.",
    "وفي الوثيقة المؤرخة في عام {indic_year}، وردت الإشارة إلى {int} مشروعا في {place}.",
    "وتتوقع الحكومة أن تصل الاستثمارات إلى {decimal} مليار دولار بحلول عام {year}.",
    "وأكد {man}، {role_m}، أن \"{quote}\"، مضيفا أن العمل سيستمر حتى {date}.",
    "وأكدت {woman}، {role_f}، أن \"{quote}\"، مضيفة أن العمل سيستمر حتى {date}.",
    "ولم يتجاوز عدد الحالات المسجلة {int} حالة في الأسبوع الأخير (مقارنة بـ{int} في الأسبوع الذي سبقه).",
    "وتغطي الشبكة الجديدة {percent} من مساحة البلاد، أي ما يعادل {thousands} كيلومتر مربع.",
    "ومن المقرر أن تعقد الجولة المقبلة من المحادثات في {place} بين {day_pair} {year}.",
    "[ملاحظة المحرر: جرى تحديث هذه الأرقام في {date}.]",
    "ويعمل في المركز {int} موظفا، منهم {int} من النساء، ويستقبل يوميا ما بين {small_range} زائر.",
    "وسجلت أسعار {commodity} تغيرا بنسبة {signed_percent} مقارنة بالعام الماضي.",
    "واستخدم الفريق صورا التقطتها طائرات من طراز {aircraft} لمسح {int} هكتارا من الأراضي الزراعية.",
    "وتقول الأرقام الصادرة عن {org_short} إن {indic_percent} من الأسر تعتمد على {topic}.",
    "ووفق بيان نشر على {url}، فإن الموعد النهائي لتقديم الطلبات هو {date}.",
    "وارتفع عدد سكان {place} من {population_change}.",
    "وفي الساعة {time} من صباح {date}، وصلت القافلة الأولى إلى {place} محملة بـ{int} طنا من {commodity}.",
    "ويطلق السكان على المشروع اسم \"{nickname}\"، في إشارة إلى دوره في {topic}.",
    "وأشار إلى أن شبكات الجيل الخامس (5G) باتت تغطي {percent} من المدن الكبرى.",
    "وحصل المختبر على شهادة الجودة ISO 9001 في {date} بعد تدقيق استمر {int} شهرا.",
    "وقد صادق مجلس {org_short} على القرار رقم {int} لعام {year} بأغلبية {int} صوتا.",
    "ولا تزال القضية مفتوحة أمام المحكمة منذ {date}، وفق ما أكده المحامي {person}.",
    "وتتراوح أعمار المشاركين بين {age_range} عاما، ويشكل الشباب منهم {percent}.",
    "وتشير التقديرات إلى أن الخسائر تراوحت بين {decimal_pair} مليون دولار.",
    "وخصصت الوزارة خطا ساخنا على الرقم {phone} للإبلاغ عن أي مخالفات.",
    "وتقع المحطة على ارتفاع {thousands} متر فوق سطح البحر، وتبعد {int} كيلومترا عن {place}.",
    "وكتب أحد المشاركين على صفحته: \"{quote}\".",
    "({aside})",
    "وبلغت الميزانية المخصصة {arabic_thousands} دينار، أي ما يعادل {arabic_decimal} في المئة من "
    "الإنفاق العام.",
    "وفي المقابل، انخفض معدل البطالة إلى {decimal}% بعد أن كان {percent} في {month_year}.",
    "وتعاونت {org_bracket} مع جامعة {place} في دراسة شملت {int} قرية و{thousands} مسكن.",
    "وقالت {woman} إن «{quote}»، لكنها أضافت أن الخطة الحالية تمتد حتى عام {indic_year}.",
    "وتناول الاجتماع ملف {other_code} في ضوء توصيات {org_bracket} الصادرة عام {year}.",
    "ويضم البرنامج {int} مسارا تدريبيا (من بينها البرمجة والتصميم وإدارة المشاريع).",
    "واعتمدت اللجنة معيار {standard} في تقييم {int} من المنشآت الكبيرة والصغيرة.",
    "ويبلغ طول الخط الجديد {decimal} كيلومتر، وتمر عبره يوميا قرابة {thousands} رحلة.",
)
#: Sentences without numbers or Latin: most of an article's prose is like these.
PLAIN = (
    "ويرى مراقبون أن التجربة تستحق المتابعة، لكن نجاحها يتوقف على استمرار الدعم.",
    "ولم تكن البداية سهلة، فقد واجه الفريق صعوبات كبيرة في الحصول على التراخيص اللازمة.",
    "ويقول السكان إن الحياة تغيرت كثيرا خلال السنوات الأخيرة.",
    "وتعتمد الخطة على مشاركة المجتمع المحلي في كل مراحل التنفيذ، من التصميم إلى المتابعة.",
    "لكنها تبقى خطوة صغيرة في طريق طويل، كما يعترف القائمون على المشروع أنفسهم.",
    "وفي الحي القديم، تتجاور المحلات الصغيرة مع الورش التي ورثها أصحابها عن آبائهم.",
    "ويؤكد الخبراء أن الاستثمار في الإنسان هو الضمانة الوحيدة لتنمية مستدامة.",
    "وتحولت الساحة المهجورة إلى حديقة عامة يقصدها الأطفال وكبار السن على حد سواء.",
    "ولا يخفي المزارعون قلقهم من تراجع منسوب المياه الجوفية وارتفاع تكاليف الإنتاج.",
    "ومع ذلك، فإن الطريق إلى تحقيق الأهداف المعلنة ما زال مليئا بالعقبات.",
    "وتشارك في المبادرة جمعيات أهلية ومدارس ومراكز شبابية من مختلف المناطق.",
    "ويصف المشاركون التجربة بأنها غيرت نظرتهم إلى العمل التطوعي والمسؤولية المشتركة.",
    "وكانت المملكة قد أعلنت في وقت سابق عن حزمة من الإصلاحات الكبيرة في هذا القطاع.",
    "لكن المنتقدين يرون أن هذه الإجراءات لم تصل بعد إلى الفئات الأكثر حاجة.",
    "ويعمل الفريق على توثيق كل خطوة، حتى يتمكن الآخرون من الاستفادة من التجربة.",
    "وتبدو الشوارع في ساعات الصباح الأولى هادئة، قبل أن تمتلئ بالحركة والباعة.",
    "ولا تقتصر الفائدة على المستفيدين المباشرين، بل تمتد إلى الأسواق المحلية كلها.",
    "ويحرص المنظمون على إشراك النساء والشباب في اتخاذ القرار منذ اللحظة الأولى.",
    "وتواجه البلديات الصغيرة صعوبة في تمويل مشاريع البنية التحتية دون دعم خارجي.",
    "ويرى الباحثون أن البيانات الدقيقة شرط أساسي لأي سياسة عامة ناجحة.",
    "وفي المساء، يجتمع الأهالي في المقهى الوحيد في القرية لمتابعة الأخبار وتبادل الآراء.",
    "ولكل منطقة خصوصيتها، ولذلك لا يمكن نقل التجربة كما هي من مكان إلى آخر.",
    "وتسعى الجامعات إلى ربط البحث العلمي باحتياجات السوق والمجتمع.",
    "ويبقى الأمل معقودا على الجيل الجديد الذي نشأ في ظل هذه التحولات المتسارعة.",
)
CAPTIONS = ("جانب من ورشة العمل في {place} خلال {month_year}",
            "متطوعون يوزعون المساعدات على {int} أسرة في {place}",
            "فريق {org_short} يتفقد موقع المشروع في {date}",
            "طائرة من طراز {aircraft} قبيل إقلاعها من قاعدة قرب {place}",
            "طلاب يشاركون في مسابقة {topic} ({year})",
            "الأسواق في {place} بعد ارتفاع الأسعار بنسبة {percent}")
RANKS = ("رقيب أول بحري", "النقيب", "العريف", "المقدم", "الملازم أول")
FOREIGN_NAMES = ("جون سميث", "ماريا لوبيز", "دانيال كيم", "سارة أوكونور")
FOREIGN_UNITS = ("البحرية الأمريكية", "الجيش الأمريكي", "القوات الجوية الملكية", "الحرس الوطني")
LATIN_CREDITS = ("Photo by John Smith", "Sgt. Maria Lopez/U.S. Army National Guard", "AFP/Getty Images",
                 "© 2019 UNICEF/Ahmad Ali", "Reuters", "Cpl. Dan Kim/U.S. Marine Corps")
CREDITS = ("تصوير: {person}", "تصوير: {person}/{agency}", "{rank} {foreign}/{unit}", "{agency}",
           "بعدسة: {person}", "الصورة: أرشيف {publication}", "{latin_credit}", "{org_short}")
AGENCIES = ("رويترز", "أ ف ب", "وكالة الأنباء الأردنية (بترا)", "أسوشيتد برس", "وكالة الأناضول")

INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def indic(value: int | str) -> str:
    """Western digits → Arabic-Indic digits."""
    return str(value).translate(INDIC)


class Slots(dict):
    """Template slot name → a fresh value drawn from the generator's random source."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return str(getattr(self, f"_{key}")())

    # numbers
    def _int(self) -> int:
        r = self.rng
        return r.choice((r.randint(2, 9), r.randint(11, 99), r.randint(100, 999)))

    def _year(self) -> int:
        return self.rng.randint(1948, 2025)

    def _thousands(self) -> str:
        r = self.rng
        if r.random() < 0.2:
            return f"{r.randint(1, 9)},{r.randint(0, 999):03d},{r.randint(0, 999):03d}"
        return f"{r.randint(1, 999)},{r.randint(0, 999):03d}"

    def _decimal(self) -> str:
        r = self.rng
        return r.choice((f"{r.randint(0, 9)}.{r.randint(1, 9)}", f"{r.randint(10, 99)}.{r.randint(10, 99)}"))

    def _percent(self) -> str:
        r = self.rng
        n = r.randint(1, 99)
        return r.choice((f"{n}%", f"{n}%", f"{n}.{r.randint(1, 9)}%", f"{n}٪", f"{indic(n)}٪"))

    def _indic_percent(self) -> str:
        return f"{indic(self.rng.randint(10, 90))}٪"

    def _signed(self) -> str:
        r = self.rng
        size = r.choice((str(r.randint(1, 15)), f"{r.randint(0, 9)}.{r.randint(1, 9)}"))
        return r.choice(("-", "+", "−")) + size

    def _signed_percent(self) -> str:
        return f"{self._signed()}%"

    def _year_range(self) -> str:
        first = self.rng.randint(1990, 2018)
        return f"{first}{self.rng.choice('-–')}{first + self.rng.randint(1, 7)}"

    def _small_range(self) -> str:
        low = self.rng.randint(20, 300)
        return f"{low}-{low + self.rng.randint(10, 90)}"

    def _age_range(self) -> str:
        low = self.rng.randint(12, 30)
        return f"{low}-{low + self.rng.randint(5, 30)}"

    def _indic_year(self) -> str:
        return indic(self.rng.randint(1990, 2030))

    def _arabic_thousands(self) -> str:
        return indic(f"{self.rng.randint(2, 99)}\u066c{self.rng.randint(0, 999):03d}")

    def _arabic_decimal(self) -> str:
        return indic(f"{self.rng.randint(1, 30)}\u066b{self.rng.randint(1, 9)}")

    def _decimal_pair(self) -> str:
        low = self.rng.randint(1, 40)
        return f"{low}.{self.rng.randint(1, 9)} و{low + self.rng.randint(1, 20)}.{self.rng.randint(1, 9)}"

    def _time(self) -> str:
        return f"{self.rng.randint(5, 11)}:{self.rng.choice(('00', '15', '30', '45'))}"

    def _phone(self) -> str:
        r = self.rng
        return r.choice((f"+962 6 {r.randint(100, 999)} {r.randint(1000, 9999)}",
                         f"{r.randint(100, 999)}-{r.randint(1000, 9999)}", f"{r.randint(100, 199)}"))

    def _population_change(self) -> str:
        first = self.rng.randint(1990, 2010)
        return (f"{self._thousands()} نسمة عام {first} إلى {self._thousands()} نسمة عام "
                f"{first + self.rng.randint(5, 14)}")

    # dates
    def _day_month(self) -> str:
        r = self.rng
        levantine, egyptian = r.choice(MONTHS)
        return r.choice((f"{levantine}/{egyptian}", f"{levantine}/ {egyptian}", egyptian, levantine))

    def _date(self) -> str:
        r = self.rng
        day, year = r.randint(1, 28), r.randint(1995, 2025)
        month = r.randint(1, 12)
        kind = r.random()
        if kind < 0.55:
            return f"{day} {self._day_month()} {year}"
        if kind < 0.7:
            return f"{indic(day)} {r.choice(MONTHS)[1]} {indic(year)}"
        if kind < 0.85:
            return f"{day}/{month}/{year}"
        return f"{year}/{month:02d}"

    def _month(self) -> str:
        return self._day_month()

    def _month_year(self) -> str:
        return f"{self._day_month()} {self._year()}"

    def _day_pair(self) -> str:
        day = self.rng.randint(1, 27)
        return f"{day} و{day + 1} {self._day_month()}"

    # names, places, things
    def _place(self) -> str:
        return self.rng.choice(PLACES)

    def _person(self) -> str:
        return self.rng.choice(PEOPLE)

    def _man(self) -> str:
        return self.rng.choice(MEN)

    def _woman(self) -> str:
        return self.rng.choice(WOMEN)

    def _role_m(self) -> str:
        return self.rng.choice(ROLES_M)

    def _role_f(self) -> str:
        return self.rng.choice(ROLES_F)

    def _topic(self) -> str:
        return self.rng.choice(TOPICS)

    def _topic_cap(self) -> str:
        return self._topic()

    def _people(self) -> str:
        return self.rng.choice(PEOPLE_GROUPS)

    def _commodity(self) -> str:
        return self.rng.choice(COMMODITIES)

    def _quote(self) -> str:
        if self.rng.random() < 0.25:
            return f"أنجزنا {self._percent()} من الخطة حتى الآن"
        return self.rng.choice(QUOTES)

    def _aside(self) -> str:
        return self.rng.choice(ASIDES)

    def _naval(self) -> str:
        return self.rng.choice(NAVAL)

    def _aircraft(self) -> str:
        return self.rng.choice(AIRCRAFT)

    def _standard(self) -> str:
        return self.rng.choice(STANDARDS)

    def _other_code(self) -> str:
        return self.rng.choice(OTHER_CODES)

    def _nickname(self) -> str:
        return self.rng.choice(("جسر الأمل", "نافذة 2030", "الضوء الأخضر", "بيت الجميع", "خطوة بخطوة"))

    def _org_bracket(self) -> str:
        name, short, latin = self.rng.choice(ORGS)
        if short and self.rng.random() < 0.6:
            return f"{name} ({short} {latin})"
        return f"{name} ({latin})"

    def _org_short(self) -> str:
        name, short, latin = self.rng.choice(ORGS)
        return self.rng.choice(tuple(x for x in (short, latin, name) if x))

    def _url(self) -> str:
        r = self.rng
        host = r.choice(DOMAINS)
        return r.choice((f"https://www.{host}/{r.choice(URL_PATHS)}", f"http://{host}/{r.choice(URL_PATHS)}",
                         f"www.{host}", f"https://{host}"))

    def _email(self) -> str:
        return f"{self.rng.choice(MAILBOXES)}@{self.rng.choice(DOMAINS)}"

    # credits
    def _agency(self) -> str:
        return self.rng.choice(AGENCIES)

    def _rank(self) -> str:
        return self.rng.choice(RANKS)

    def _foreign(self) -> str:
        return self.rng.choice(FOREIGN_NAMES)

    def _unit(self) -> str:
        return self.rng.choice(FOREIGN_UNITS)

    def _latin_credit(self) -> str:
        return self.rng.choice(LATIN_CREDITS)

    def _publication(self) -> str:
        return self.rng.choice(PUBLICATIONS)


def fill(template: str, slots: Slots) -> str:
    """One template with every slot drawn afresh."""
    return string.Formatter().vformat(template, (), slots)


@dataclass(frozen=True)
class Figure:
    """A generated figure: where it is (line), what it shows, and whether the build must warn."""

    line: int
    src: str
    missing: bool
    credited: bool


@dataclass(frozen=True)
class Generated:
    """One generated article: its file name, Markdown text, and figures."""

    name: str
    text: str
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def expected_warnings(self, path: Path) -> list[str]:
        """The warnings a build of ``path`` (this article) must give, in order (file: line: text)."""
        from pressroom.errors import where

        found = []
        for figure in self.figures:
            if figure.missing:
                found.append(f"{where(path, figure.line)}image {figure.src} not found: placeholder drawn")
            if not figure.credited:
                found.append(f"{where(path, figure.line)}photo {figure.src} has no credit")
        return found


def _paragraph(slots: Slots, sentences: int) -> str:
    rng = slots.rng
    if sentences == 1 and rng.random() < 0.5:
        return rng.choice(SHORT)
    return " ".join(fill(rng.choice(SENTENCES), slots) if rng.random() < 0.45 else rng.choice(PLAIN)
                    for _ in range(sentences))


def _figure_markdown(slots: Slots, index: int, seed: int) -> tuple[str, bool, bool, str]:
    rng = slots.rng
    missing = rng.random() < 0.25
    src = f"images/corpus-{seed}-{index}.jpg" if missing else rng.choice(PHOTOS)
    credited = rng.random() < 0.85
    caption = fill(rng.choice(CAPTIONS), slots) if rng.random() < 0.9 else ""
    attrs = []
    if credited:
        attrs.append(f'credit="{fill(rng.choice(CREDITS), slots)}"')
    if rng.random() < 0.2:
        attrs.append(".bleed")
    tail = "{" + " ".join(attrs) + "}" if attrs else ""
    return f"![{caption}]({src}){tail}", missing, credited, src


def article(seed: int) -> Generated:
    """The article of ``seed``: front matter, a lead, 2–4 sections, figures and a quote or two."""
    rng = random.Random(seed)
    slots = Slots(rng)
    front = {
        "title": fill(rng.choice(TITLES), slots),
        "deck": fill(rng.choice(DECKS), slots),
        "byline": rng.choice(PEOPLE),
        "lang": "ar",
        "section": rng.choice(SECTIONS),
        "publication": rng.choice(PUBLICATIONS),
        "date": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source": f"https://www.{rng.choice(DOMAINS)}/ar/{seed}",
        "keywords": sorted({rng.choice(TOPICS), rng.choice(PLACES)}),
    }
    for key in ("section", "publication", "source"):
        if rng.random() < 0.3:
            del front[key]
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()), "---", ""]
    figures: list[Figure] = []
    blocks = [_paragraph(slots, rng.randint(2, 4))]  # "figure" marks where a figure goes
    figure_plan = rng.randint(0, 3)
    for section in range(rng.randint(2, 4)):
        blocks.append("## " + fill(rng.choice(HEADINGS), slots))
        for _ in range(rng.randint(1, 3)):
            long = rng.random() < 0.35
            blocks.append(_paragraph(slots, rng.randint(5, 8) if long else rng.randint(1, 3)))
            if rng.random() < 0.1:
                blocks.append("> " + fill(rng.choice(SENTENCES), slots))
        if section < figure_plan:
            blocks.append("figure")
    for block in blocks:
        if block == "figure":
            markdown, missing, credited, src = _figure_markdown(slots, len(figures), seed)
            figures.append(Figure(len(lines) + 1, src, missing, credited))
            lines += [markdown, ""]
        else:
            lines += [block, ""]
    return Generated(f"generated-{seed:03d}.md", "\n".join(lines), tuple(figures))


def corpus(count: int, first_seed: int = 0) -> list[Generated]:
    """``count`` articles from consecutive seeds."""
    return [article(seed) for seed in range(first_seed, first_seed + count)]


def write(argv: list[str] | None, description: str, count: int,
          make: Callable[[int], Any]) -> int:
    """A generator's command line: ``OUT [--count N] [--seed S]`` writes ``make(seed)`` (a
    ``name`` and a ``text``) for N seeds from S into OUT."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        generated = make(seed)
        (args.out / generated.name).write_text(generated.text, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    return write(argv, __doc__.splitlines()[0], 30, article)


if __name__ == "__main__":
    raise SystemExit(main())
