"""Scraped lines → blocks: a table of captions, credits, sub-headings, boilerplate and negatives.

Each case is the body of a scraped article (after a fixed title, deck, byline and first
paragraph) and the blocks it must give: ("p", text) a paragraph, ("h", text) a sub-heading,
("fig", caption, credit) a photo, ("row", caption, credit, credit…) photos side by side.
``unsure`` lists the lines `import` must call unsure (and no other line may be). The second
table, NEW, was written after the rules were fixed and never tuned on (see the module's end).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pressroom.model import Figure, Heading, List, Paragraph
from pressroom.sources import importer

HEAD_AR = "مهمة جديدة لقوات حفظ السلام\nكتيبة كازاخية تنتشر في جنوب لبنان\nأحمد علي\n"
HEAD_EN = "A New Mission for Peacekeepers\nA Kazakh battalion deploys to southern Lebanon\nBy Jane Doe\n"
P0_AR = "وصلت الدفعة الأولى من الجنود إلى القاعدة بعد أشهر من التدريب المشترك مع وحدات من الهند."
P0_EN = "The first soldiers reached the base after months of joint training with Indian units."
P_AR = "وقال قائد الكتيبة إن الجنود تلقوا تدريباً مكثفاً على الدوريات الليلية والإسعافات الأولية."
P_EN = "The battalion commander said the soldiers had trained hard for night patrols and first aid."
LONG_AR = ("وقال نائب وزير الدفاع، تالغات مختاروف، إن هذه القوات المدربة تدريباً جيداً والمتعددة "
           "اللغات تؤدي دوراً أكبر فيما يتعلق بتنمية كازاخستان، وإنها تعود من الخارج محملة بدروس "
           "عملية لتدريب زملائها العسكريين في الداخل وتعليمهم ما تعلمته في البعثات الدولية.")
PHOTO = "![](https://example.org/photos/p1.jpg)"


def photo(alt: str = "") -> str:
    return f"![{alt}](https://example.org/photos/p1.jpg)"


def blocks_of(article) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for block in article.blocks:
        if isinstance(block, Figure) and block.row:  # photos side by side: one caption, their credits
            out.append(("row", block.caption, *block.credits))
        elif isinstance(block, Figure):
            out.append(("fig", block.caption, block.credit))
        elif isinstance(block, Heading):
            out.append(("h", block.text))
        elif isinstance(block, List):
            out.append(("ol" if block.ordered else "ul", str(block.start), *block.item_texts))
        else:
            assert isinstance(block, Paragraph)
            out.append(("p", block.text))
    return out


# (id, language, body lines, expected blocks after the first paragraph, lines reported unsure)
CASES = [
    # --- captions and credits -------------------------------------------------------------
    ("ar-caption-then-tasweer", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي.", "تصوير: أحمد علي", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", "تصوير: أحمد علي"), ("p", P_AR)], []),
    ("ar-alsura-credit-only", "ar",
     [PHOTO, "الصورة: وزارة الدفاع الكازاخستانية", LONG_AR],
     [("fig", "", "الصورة: وزارة الدفاع الكازاخستانية"), ("p", LONG_AR)], []),
    ("ar-rank-name-organisation-after-unpunctuated-caption", "ar",
     [PHOTO, "جنود من حفظة السلام الكازاخيين خلال تمرين مشترك في قاعدة عسكرية قرب ألماتي",
      "رقيب أول بحري جون سميث/البحرية الأمريكية", P_AR],
     [("fig", "جنود من حفظة السلام الكازاخيين خلال تمرين مشترك في قاعدة عسكرية قرب ألماتي",
       "رقيب أول بحري جون سميث/البحرية الأمريكية"), ("p", P_AR)], []),
    ("en-rank-name-organisation", "en",
     [PHOTO, "Soldiers practise a medical evacuation during the exercise.",
      "Sgt. Maria Lopez/U.S. Army National Guard", P_EN],
     [("fig", "Soldiers practise a medical evacuation during the exercise.",
       "Sgt. Maria Lopez/U.S. Army National Guard"), ("p", P_EN)], []),
    ("en-rank-name-organisation-unpunctuated-caption", "en",
     [PHOTO, "Soldiers from Kazakhstan and Arizona practise a medical evacuation at Fort Huachuca",
      "Staff Sgt. Brian Calhoun/Arizona National Guard", P_EN],
     [("fig", "Soldiers from Kazakhstan and Arizona practise a medical evacuation at Fort Huachuca",
       "Staff Sgt. Brian Calhoun/Arizona National Guard"), ("p", P_EN)], []),
    ("en-photo-by", "en",
     [PHOTO, "Photo by Jane Doe", P_EN],
     [("fig", "", "Photo by Jane Doe"), ("p", P_EN)], []),
    ("en-photo-colon-after-alt-caption", "en",
     [photo("Troops at the base."), "Photo: U.S. Army", P_EN],
     [("fig", "Troops at the base.", "Photo: U.S. Army"), ("p", P_EN)], []),
    ("ar-bracketed-name-agency", "ar",
     [PHOTO, "(أحمد علي/رويترز)", P_AR],
     [("fig", "", "أحمد علي/رويترز"), ("p", P_AR)], []),
    ("ar-agency-after-caption-then-heading", "ar",
     [PHOTO, "جنود خلال تدريب مشترك.", "رويترز", "تدريب في الصحراء", P_AR],
     [("fig", "جنود خلال تدريب مشترك.", "رويترز"), ("h", "تدريب في الصحراء"), ("p", P_AR)], []),
    ("en-agency-afp", "en",
     [PHOTO, "AFP", P_EN],
     [("fig", "", "AFP"), ("p", P_EN)], []),
    ("en-getty-after-alt", "en",
     [photo("Kazakh troops in Beirut."), "Getty Images", P_EN],
     [("fig", "Kazakh troops in Beirut.", "Getty Images"), ("p", P_EN)], []),
    ("ar-agency-name-after-caption-then-heading", "ar",
     [PHOTO, "دورية مشتركة على الحدود.", "وكالة الأنباء الفرنسية", "العودة إلى الوطن", P_AR],
     [("fig", "دورية مشتركة على الحدود.", "وكالة الأنباء الفرنسية"), ("h", "العودة إلى الوطن"),
      ("p", P_AR)], []),
    ("ar-credit-only-then-long-body", "ar",
     [PHOTO, "تصوير: سارة محمود", LONG_AR, P_AR],
     [("fig", "", "تصوير: سارة محمود"), ("p", LONG_AR), ("p", P_AR)], []),
    ("ar-caption-and-credit-on-one-line", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي. تصوير: أحمد علي", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", "تصوير: أحمد علي"), ("p", P_AR)], []),
    ("en-caption-and-credit-on-one-line", "en",
     [PHOTO, "Kazakh troops arrive in Beirut. Photo: AFP", P_EN],
     [("fig", "Kazakh troops arrive in Beirut.", "Photo: AFP"), ("p", P_EN)], []),
    ("en-caption-with-bracketed-credit", "en",
     [PHOTO, "Kazakh troops arrive in Beirut (John Doe/Reuters)", P_EN],
     [("fig", "Kazakh troops arrive in Beirut", "John Doe/Reuters"), ("p", P_EN)], []),
    ("ar-caption-dash-agency", "ar",
     [PHOTO, "جنود كازاخيون عند وصولهم إلى بيروت - رويترز", P_AR],
     [("fig", "جنود كازاخيون عند وصولهم إلى بيروت", "رويترز"), ("p", P_AR)], []),
    ("ar-tasweer-without-colon", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي.", "تصوير أحمد علي", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", "تصوير أحمد علي"), ("p", P_AR)], []),
    ("en-army-photo-by", "en",
     [PHOTO, "Kazakh peacekeepers train near Almaty.", "U.S. Army photo by Staff Sgt. John Smith", P_EN],
     [("fig", "Kazakh peacekeepers train near Almaty.", "U.S. Army photo by Staff Sgt. John Smith"),
      ("p", P_EN)], []),
    ("ar-two-short-lines-after-caption", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي.", "جون سميث", "العودة إلى الوطن", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", "جون سميث"), ("h", "العودة إلى الوطن"), ("p", P_AR)],
     ["جون سميث"]),
    ("en-two-short-lines-after-alt-caption", "en",
     [photo("Troops at the base."), "Maria Lopez", "The Road Ahead", P_EN],
     [("fig", "Troops at the base.", "Maria Lopez"), ("h", "The Road Ahead"), ("p", P_EN)],
     ["Maria Lopez"]),
    ("en-caption-repeating-alt", "en",
     [photo("Troops at the base."), "Troops at the base.", "Reuters", P_EN],
     [("fig", "Troops at the base.", "Reuters"), ("p", P_EN)], []),
    ("ar-caption-with-newsroom-shorthand", "ar",
     [PHOTO, "دورية لقوات اليونيفيل قرب الحدود اللبنانية الإسرائيلية (الفرنسية)", P_AR],
     [("fig", "دورية لقوات اليونيفيل قرب الحدود اللبنانية الإسرائيلية", "الفرنسية"), ("p", P_AR)], []),
    ("ar-alt-then-caption-line-then-newsroom", "ar",
     [photo("صورة أرشيفية لجنود حفظ السلام"), "جنود حفظ السلام خلال عرض عسكري في الناقورة", "الجزيرة",
      P_AR],
     [("fig", "جنود حفظ السلام خلال عرض عسكري في الناقورة", "الجزيرة"), ("p", P_AR)],
     ["جنود حفظ السلام خلال عرض عسكري في الناقورة"]),
    ("ar-alt-then-two-short-lines", "ar",
     [photo("صورة أرشيفية"), "جنود حفظ السلام خلال عرض عسكري في الناقورة", "مخاوف من التصعيد", P_AR],
     [("fig", "جنود حفظ السلام خلال عرض عسكري في الناقورة", ""), ("h", "مخاوف من التصعيد"),
      ("p", P_AR)], ["جنود حفظ السلام خلال عرض عسكري في الناقورة", "مخاوف من التصعيد"]),
    ("ar-caption-then-heading-no-credit", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي.", "بروز الكازاخيين كحفظة سلام", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", ""), ("h", "بروز الكازاخيين كحفظة سلام"), ("p", P_AR)],
     ["بروز الكازاخيين كحفظة سلام"]),
    ("ar-photo-then-body", "ar",
     [PHOTO, LONG_AR, P_AR],
     [("fig", "", ""), ("p", LONG_AR), ("p", P_AR)], []),
    ("ar-unpunctuated-caption-alone", "ar",
     [PHOTO, "جنود من حفظة السلام الكازاخيين خلال تمرين مشترك في قاعدة عسكرية قرب ألماتي", P_AR],
     [("fig", "جنود من حفظة السلام الكازاخيين خلال تمرين مشترك في قاعدة عسكرية قرب ألماتي", ""),
      ("p", P_AR)], ["جنود من حفظة السلام الكازاخيين خلال تمرين مشترك في قاعدة عسكرية قرب ألماتي"]),
    ("en-two-sentence-caption-before-credit", "en",
     [PHOTO, "Troops unload supplies. The mission began in October.", "Sgt. Maria Lopez/U.S. Army", P_EN],
     [("fig", "Troops unload supplies. The mission began in October.", "Sgt. Maria Lopez/U.S. Army"),
      ("p", P_EN)], []),
    # --- photo lines of other shapes (rule 3) ----------------------------------------------------
    ("ar-bare-image-address", "ar",
     ["https://example.org/photos/p1.jpg", "جنود خلال تدريب في ألماتي. (تصوير: أحمد علي)", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", "تصوير: أحمد علي"), ("p", P_AR)], []),
    ("en-bare-image-address-in-brackets-with-query", "en",
     ["<https://cdn.example.org/2024/05/troops.JPEG?w=1200&h=800>", "Troops at the base.",
      "Photo: U.S. Army", P_EN],
     [("fig", "Troops at the base.", "Photo: U.S. Army"), ("p", P_EN)], []),
    ("ar-linked-photo", "ar",
     ["[![جنود في الناقورة](https://example.org/photos/p1.webp)](https://example.org/gallery/7)",
      "رويترز", P_AR],
     [("fig", "جنود في الناقورة", "رويترز"), ("p", P_AR)], []),
    ("en-page-address-alone-is-no-photo", "en",
     ["https://example.org/photos/gallery", P_EN],
     [("p", P_EN)], []),
    # --- sub-headings ------------------------------------------------------------------------
    ("ar-heading", "ar",
     ["بروز الكازاخيين كحفظة سلام", P_AR],
     [("h", "بروز الكازاخيين كحفظة سلام"), ("p", P_AR)], []),
    ("en-heading", "en",
     ["The Road Ahead", P_EN],
     [("h", "The Road Ahead"), ("p", P_EN)], []),
    ("ar-two-headings-in-a-row-no-photo", "ar",
     ["الجزء الثاني", "العودة إلى الوطن", P_AR],
     [("h", "الجزء الثاني"), ("h", "العودة إلى الوطن"), ("p", P_AR)], ["العودة إلى الوطن"]),
    # --- boilerplate -------------------------------------------------------------------------
    ("ar-comments-closed", "ar",
     [P_AR, "التعليقات مغلقة."],
     [("p", P_AR)], []),
    ("en-comments-closed-and-share", "en",
     [P_EN, "Share this:", "Facebook | Twitter | Email", "Comments are closed."],
     [("p", P_EN)], []),
    ("ar-link-only-line", "ar",
     [P_AR, "[كازاخستان في مجلس الأمن](https://example.org/a) · [حفظ السلام](https://example.org/b)",
      LONG_AR],
     [("p", P_AR), ("p", LONG_AR)], []),
    ("ar-read-also-with-title", "ar",
     [P_AR, "اقرأ أيضاً: كازاخستان في مجلس الأمن", "تدريب في الصحراء", LONG_AR],
     [("p", P_AR), ("h", "تدريب في الصحراء"), ("p", LONG_AR)], []),
    ("ar-read-also-label-then-headline", "ar",
     [P_AR, "اقرأ أيضاً", "كازاخستان ترسل قوات جديدة إلى لبنان", LONG_AR],
     [("p", P_AR), ("p", LONG_AR)], []),
    ("ar-tags", "ar",
     [P_AR, "الوسوم: كازاخستان، لبنان، حفظ السلام"],
     [("p", P_AR)], []),
    ("en-tags-label-then-list", "en",
     [P_EN, "Tags", "Kazakhstan, peacekeeping, United Nations"],
     [("p", P_EN)], []),
    ("ar-newsletter", "ar",
     [P_AR, "اشترك في نشرتنا البريدية لتصلك آخر الأخبار", LONG_AR],
     [("p", P_AR), ("p", LONG_AR)], []),
    ("en-newsletter", "en",
     [P_EN, "Sign up for our newsletter to get the latest stories in your inbox.", P_EN],
     [("p", P_EN), ("p", P_EN)], []),
    ("ar-share-via-and-copyright", "ar",
     [P_AR, "شارك عبر: فيسبوك تويتر واتساب", "© 2019 يونيباث. جميع الحقوق محفوظة."],
     [("p", P_AR)], []),
    ("ar-share-label-with-colon-then-networks", "ar",
     ["شارك: فيسبوك تويتر واتساب", P_AR, "مشاركة عبر: إنستغرام | ماسنجر"],
     [("p", P_AR)], []),
    ("en-share-label-with-colon-then-networks", "en",
     ["Share: Facebook, X, LinkedIn, Instagram", P_EN],
     [("p", P_EN)], []),
    ("en-share-on-buttons", "en",
     ["Share on Facebook | Share on X | Email", P_EN, "Share via WhatsApp"],
     [("p", P_EN)], []),
    ("ar-share-on-buttons", "ar",
     ["شارك على فيسبوك · شارك على إكس", P_AR],
     [("p", P_AR)], []),
    ("en-on-x-is-not-a-share-line", "en",
     ["Life on X", P_EN],
     [("h", "Life on X"), ("p", P_EN)], []),
    ("en-two-networks-joined-without-a-share-verb-are-a-heading", "en",
     ["Twitter to X", P_EN],
     [("h", "Twitter to X"), ("p", P_EN)], []),
    ("ar-two-networks-joined-without-a-share-verb-are-a-heading", "ar",
     ["تويتر على إكس", P_AR],
     [("h", "تويتر على إكس"), ("p", P_AR)], []),
    ("en-share-buttons-with-counts-and-copy-link", "en",
     ["Share 0 Tweet 0 Pin 0", P_EN, "Facebook | Twitter | E-mail", "Facebook Twitter Pinterest Copy link",
      "Share on Facebook. Share on Twitter.", "WhatsApp Telegram Facebook Messenger X (Twitter)"],
     [("p", P_EN)], []),
    ("ar-share-buttons-with-dashes-and-copy-link", "ar",
     ["شارك على فيسبوك - شارك على تويتر", P_AR, "فيسبوك تويتر واتساب نسخ الرابط", "انشر على فيسبوك"],
     [("p", P_AR)], []),
    ("en-bare-link-in-body", "en",
     [P_EN, "https://example.org/related/kazakhstan-at-the-un", P_EN],
     [("p", P_EN), ("p", P_EN)], []),
    # --- negatives ---------------------------------------------------------------------------
    ("ar-short-sentence-is-not-a-heading", "ar",
     ["وهذا ما حدث بالفعل.", P_AR],
     [("p", "وهذا ما حدث بالفعل."), ("p", P_AR)], []),
    ("ar-short-question-is-not-a-heading", "ar",
     ["ماذا بعد؟", P_AR],
     [("p", "ماذا بعد؟"), ("p", P_AR)], ["ماذا بعد؟"]),
    ("ar-quoted-short-question-is-a-paragraph", "ar",
     [P_AR, "“ماذا بعد؟”", P_AR],
     [("p", P_AR), ("p", "“ماذا بعد؟”"), ("p", P_AR)], []),
    ("en-question-between-paragraphs-is-said", "en",
     [P_EN, "Why do the reefs survive?", P_EN],
     [("p", P_EN), ("p", "Why do the reefs survive?"), ("p", P_EN)], ["Why do the reefs survive?"]),
    ("ar-doubled-question-mark-is-said", "ar",
     [P_AR, "إلى متى؟؟", P_AR],
     [("p", P_AR), ("p", "إلى متى؟؟"), ("p", P_AR)], ["إلى متى؟؟"]),
    ("ar-interview-question-is-not-said", "ar",
     [P_AR, "س: متى بدأت الكتابة؟", P_AR],
     [("p", P_AR), ("p", "س: متى بدأت الكتابة؟"), ("p", P_AR)], []),
    ("en-interview-question-is-not-said", "en",
     [P_EN, "Q: When did you start writing?", P_EN],
     [("p", P_EN), ("p", "Q: When did you start writing?"), ("p", P_EN)], []),
    ("ar-dialogue-question-is-not-said", "ar",
     [P_AR, "— لماذا تأخرت؟", P_AR],
     [("p", P_AR), ("p", "— لماذا تأخرت؟"), ("p", P_AR)], []),
    ("ar-question-at-the-end-is-not-said", "ar",
     [P_AR, "فماذا بعد؟"],
     [("p", P_AR), ("p", "فماذا بعد؟")], []),
    ("ar-question-starting-with-a-quoted-word-is-said", "ar",
     [P_AR, "«الشعاب» إلى أين؟", P_AR],
     [("p", P_AR), ("p", "«الشعاب» إلى أين؟"), ("p", P_AR)], ["«الشعاب» إلى أين؟"]),
    ("ar-long-question-is-a-paragraph", "ar",
     [P_AR, "فهل يمكن أن تصمد هذه الشعاب عقداً آخر إذا استمرت حرارة البحر في الارتفاع كل صيف؟", P_AR],
     [("p", P_AR), ("p", "فهل يمكن أن تصمد هذه الشعاب عقداً آخر إذا استمرت حرارة البحر في الارتفاع كل صيف؟"),
      ("p", P_AR)], []),
    ("ar-signature-at-the-end-is-not-a-heading", "ar",
     [P_AR, "سارة محمود", "التعليقات مغلقة."],
     [("p", P_AR), ("p", "سارة محمود")], ["سارة محمود"]),
    ("ar-name-line-in-body-is-not-a-credit", "ar",
     [P_AR, "جون سميث", LONG_AR],
     [("p", P_AR), ("h", "جون سميث"), ("p", LONG_AR)], []),
    ("ar-slash-in-a-sentence-is-not-a-credit", "ar",
     [P_AR, "وصل الجنود في تشرين الأول/أكتوبر إلى القاعدة.", P_AR],
     [("p", P_AR), ("p", "وصل الجنود في تشرين الأول/أكتوبر إلى القاعدة."), ("p", P_AR)], []),
    ("ar-slash-after-a-caption-is-not-a-credit", "ar",
     [PHOTO, "جنود خلال تدريب في ألماتي.",
      "وقال المتحدث إن القوات البرية/الجوية ستشارك في التمرين المقبل بعد انتهاء الاستعدادات.", P_AR],
     [("fig", "جنود خلال تدريب في ألماتي.", ""),
      ("p", "وقال المتحدث إن القوات البرية/الجوية ستشارك في التمرين المقبل بعد انتهاء الاستعدادات."),
      ("p", P_AR)], []),
    ("ar-tasweer-sentence-is-body", "ar",
     [P_AR, "تصوير الأفلام الوثائقية في الصحراء يحتاج إلى صبر كبير.", P_AR],
     [("p", P_AR), ("p", "تصوير الأفلام الوثائقية في الصحراء يحتاج إلى صبر كبير."), ("p", P_AR)], []),
    ("ar-tasweer-sentence-after-credit-is-body", "ar",
     [PHOTO, "تصوير: أحمد علي",
      "تصوير المعارك في المدن أصعب بكثير من تصوير التدريبات، كما يقول المصورون العسكريون.", P_AR],
     [("fig", "", "تصوير: أحمد علي"),
      ("p", "تصوير المعارك في المدن أصعب بكثير من تصوير التدريبات، كما يقول المصورون العسكريون."),
      ("p", P_AR)], []),
    ("ar-body-ending-with-agency-stays-whole", "ar",
     [P_AR, "وقال الوزير إن القوات ستصل إلى بيروت الأسبوع المقبل (رويترز).", LONG_AR],
     [("p", P_AR), ("p", "وقال الوزير إن القوات ستصل إلى بيروت الأسبوع المقبل (رويترز)."),
      ("p", LONG_AR)], []),
    ("en-photography-sentence-after-credit", "en",
     [PHOTO, "Photo: AFP", "Photography is a passion for many of the soldiers, who share pictures at home.",
      P_EN],
     [("fig", "", "Photo: AFP"),
      ("p", "Photography is a passion for many of the soldiers, who share pictures at home."),
      ("p", P_EN)], []),
    ("ar-took-part-is-not-a-newsletter-prompt", "ar",
     [P_AR, "اشترك الجنود في التمرين عبر البريد الإلكتروني والهاتف.", P_AR],
     [("p", P_AR), ("p", "اشترك الجنود في التمرين عبر البريد الإلكتروني والهاتف."), ("p", P_AR)], []),
    ("ar-we-followed-is-not-a-follow-prompt", "ar",
     [P_AR, "تابعنا الوضع عن كثب طوال الأسبوع الماضي.", P_AR],
     [("p", P_AR), ("p", "تابعنا الوضع عن كثب طوال الأسبوع الماضي."), ("p", P_AR)], []),
    # --- lists ---------------------------------------------------------------------------------
    ("ar-bulleted-lines-are-a-list", "ar",
     ["وتنصح الوزارة بما يلي:", "• إبقاء الأطفال داخل المنزل ظهراً.", "• شرب الماء كل نصف ساعة.", P_AR],
     [("p", "وتنصح الوزارة بما يلي:"),
      ("ul", "1", "إبقاء الأطفال داخل المنزل ظهراً.", "شرب الماء كل نصف ساعة."), ("p", P_AR)], []),
    ("ar-numbered-lines-in-arabic-digits-are-a-list", "ar",
     ["١) ارتفاع الحرارة.", "٢) الدوار والقيء.", "٣) توقف التعرق.", P_AR],
     [("ol", "1", "ارتفاع الحرارة.", "الدوار والقيء.", "توقف التعرق."), ("p", P_AR)], []),
    ("en-numbered-list-from-three-then-a-break-in-the-sequence", "en",
     ["3. Keep water close.", "4. Rest in the shade.", "7. Not the next number.", P_EN],
     [("ol", "3", "Keep water close.", "Rest in the shade."), ("p", "7. Not the next number."),
      ("p", P_EN)], []),
    ("en-dash-lines-are-a-list-said-as-unsure", "en",
     ["- Water", "- Shade", P_EN],
     [("ul", "1", "Water", "Shade"), ("p", P_EN)], ["2 bulleted items"]),
    ("ar-one-numbered-line-stays-a-paragraph", "ar",
     ["1. هذه جملة واحدة تبدأ برقم ولا يتبعها بند آخر.", P_AR],
     [("p", "1. هذه جملة واحدة تبدأ برقم ولا يتبعها بند آخر."), ("p", P_AR)], []),
    ("ar-inline-link-keeps-its-text", "ar",
     ["وقال [الوزير](https://example.org/minister) إن القوات جاهزة للانتشار.", P_AR],
     [("p", "وقال الوزير إن القوات جاهزة للانتشار."), ("p", P_AR)], []),
]


def _run(lang: str, body: list[str]) -> tuple[list[tuple[str, ...]], set[str], object]:
    head, first = (HEAD_AR, P0_AR) if lang == "ar" else (HEAD_EN, P0_EN)
    text = head + first + "\n" + "\n".join(body) + "\n"
    article, decisions = importer.parse(text, Path("case.txt"))
    got = blocks_of(article)
    assert got[0] == ("p", first)
    return got[1:], {d.text for d in decisions if d.unsure}, article


@pytest.mark.parametrize(("lang", "body", "expected", "unsure"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(lang, body, expected, unsure):
    got, reported, _ = _run(lang, body)
    assert got == expected
    assert reported == set(unsure)


def test_the_table_is_large_and_mixed():
    assert len(CASES) >= 40
    assert sum(c[1] == "en" for c in CASES) >= 10
    assert len({c[0] for c in CASES}) == len(CASES)


# (id, scraped text, date, source, publication, lines that must not reach the article)
META = [
    ("ar-date-and-source-under-the-byline",
     HEAD_AR + "نُشر في 1 تشرين الأول/أكتوبر 2019\nالمصدر: https://unipath-magazine.com/ar/kz\n" + P0_AR,
     dt.date(2019, 10, 1), "https://unipath-magazine.com/ar/kz", "", ["نُشر", "المصدر"]),
    ("ar-source-name-and-date-at-the-end",
     HEAD_AR + P0_AR + "\nالمصدر: يونيباث\nتاريخ النشر: ١٥/٠٩/٢٠١٩\nالتعليقات مغلقة.",
     dt.date(2019, 9, 15), "", "يونيباث", ["يونيباث", "تاريخ"]),
    ("en-url-first-and-published-line",
     "https://example.org/2019/10/kazakhstan\n" + HEAD_EN + "Published: October 2, 2019\n" + P0_EN,
     dt.date(2019, 10, 2), "https://example.org/2019/10/kazakhstan", "", ["Published", "https"]),
    ("en-source-with-name-and-url-at-the-end",
     HEAD_EN + P0_EN + "\nSource: Unipath - https://unipath-magazine.com/kz\n",
     None, "https://unipath-magazine.com/kz", "Unipath", ["Source"]),
    ("ar-dated-line-inside-the-body",
     HEAD_AR + P0_AR + "\nبتاريخ: 2019-10-03\n" + P_AR,
     dt.date(2019, 10, 3), "", "", ["بتاريخ"]),
    (HERO := "ar-photo-address-first-is-no-source",
     "https://example.org/photos/p1.jpg\nتصوير: أحمد علي\n" + HEAD_AR + P0_AR
     + "\nhttps://example.org/2019/10/kz\n",
     None, "https://example.org/2019/10/kz", "", ["photos"]),
    ("ar-source-after-a-photo-is-its-credit",
     HEAD_AR + P0_AR + "\n" + PHOTO + "\nالمصدر: وزارة الدفاع\n" + P_AR,
     None, "", "", []),
]


@pytest.mark.parametrize(("text", "date", "source", "publication", "gone"),
                         [m[1:] for m in META], ids=[m[0] for m in META])
def test_metadata_lines(text, date, source, publication, gone):
    article, _ = importer.parse(text, Path("case.txt"))
    assert (article.date, article.source, article.publication) == (date, source, publication)
    assert not any(g in t for g in gone for t in article.text_blocks())
    assert article.title and article.byline and P0_AR[:10] + P0_EN[:10]


def test_a_photo_above_the_title_is_the_lead_photo():
    """A page's hero image above the title (an address alone, as a scraper without Markdown
    writes it): the first figure, with the credit after it; title, deck and byline as usual."""
    article, _ = importer.parse(next(m[1] for m in META if m[0] == HERO), Path("case.txt"))
    assert article.title == HEAD_AR.split("\n")[0] and article.byline == "أحمد علي"
    assert blocks_of(article)[:2] == [("fig", "", "تصوير: أحمد علي"), ("p", P0_AR)]
    assert article.figures[0].src == "https://example.org/photos/p1.jpg"


def test_source_after_a_photo_stays_its_credit():
    article, _ = importer.parse(META[-1][1], Path("case.txt"))
    assert article.figures[0].credit == "المصدر: وزارة الدفاع"


# ---------------------------------------------------------------------------------------------
# NEW: written after the rules above were fixed, never tuned on. Before any further change,
# 12 of these 13 passed before any further change; the one that failed, a rank with an
# ordinal ("Petty Officer 2nd Class …/U.S. Navy"), led to: a slash credit may hold digits
# inside a word (2nd, MC2), not a number on its own.
NEW = [
    ("new-ar-major-slash-ministry", "ar",
     [PHOTO, "ضباط كازاخيون يستمعون إلى شرح عن خرائط المنطقة.",
      "الرائد دانيار سيريكوف/وزارة الدفاع الكازاخستانية", P_AR],
     [("fig", "ضباط كازاخيون يستمعون إلى شرح عن خرائط المنطقة.",
       "الرائد دانيار سيريكوف/وزارة الدفاع الكازاخستانية"), ("p", P_AR)], []),
    ("new-en-petty-officer-navy", "en",
     [PHOTO, "A sailor checks the deck before the drill",
      "Petty Officer 2nd Class Ana Ruiz/U.S. Navy", P_EN],
     [("fig", "A sailor checks the deck before the drill", "Petty Officer 2nd Class Ana Ruiz/U.S. Navy"),
      ("p", P_EN)], []),
    ("new-ar-epa-after-caption", "ar",
     [PHOTO, "آليات مدرعة تعبر جسراً مؤقتاً.", "إي بي إيه", "دروس من الميدان", LONG_AR],
     [("fig", "آليات مدرعة تعبر جسراً مؤقتاً.", "إي بي إيه"), ("h", "دروس من الميدان"), ("p", LONG_AR)], []),
    ("new-en-caption-credit-photo-by", "en",
     [PHOTO, "Engineers clear a minefield near the border. Photo by Omar Haddad", P_EN],
     [("fig", "Engineers clear a minefield near the border.", "Photo by Omar Haddad"), ("p", P_EN)], []),
    ("new-ar-caption-bracket-tasweer", "ar",
     [PHOTO, "مهندسون يزيلون الألغام قرب الحدود (تصوير: عمر حداد)", P_AR],
     [("fig", "مهندسون يزيلون الألغام قرب الحدود", "تصوير: عمر حداد"), ("p", P_AR)], []),
    ("new-en-ap-photo-slash-name", "en",
     [PHOTO, "Villagers greet the patrol.", "AP Photo/Omar Haddad", P_EN],
     [("fig", "Villagers greet the patrol.", "AP Photo/Omar Haddad"), ("p", P_EN)], []),
    ("new-ar-lens-credit", "ar",
     [PHOTO, "بعدسة: ليلى حسن", LONG_AR],
     [("fig", "", "بعدسة: ليلى حسن"), ("p", LONG_AR)], []),
    ("new-en-related-label-then-headline", "en",
     [P_EN, "Related", "Kazakhstan joins UN mission in Lebanon", P_EN],
     [("p", P_EN), ("p", P_EN)], []),
    ("new-ar-follow-us", "ar",
     [P_AR, "تابعونا على تويتر وفيسبوك", LONG_AR],
     [("p", P_AR), ("p", LONG_AR)], []),
    ("new-en-and-or-slash-sentence", "en",
     [P_EN, "Officers and/or their deputies attend.", P_EN],
     [("p", P_EN), ("p", "Officers and/or their deputies attend."), ("p", P_EN)], []),
    ("new-ar-date-slash-sentence-after-photo-credit", "ar",
     [PHOTO, "رويترز", "في أيلول/سبتمبر عاد الجنود إلى بلادهم بعد انتهاء مهمتهم في جنوب لبنان.", P_AR],
     [("fig", "", "رويترز"), ("p", "في أيلول/سبتمبر عاد الجنود إلى بلادهم بعد انتهاء مهمتهم في جنوب لبنان."),
      ("p", P_AR)], []),
    ("new-en-short-sentence-not-heading", "en",
     [P_EN, "Nobody was hurt.", P_EN],
     [("p", P_EN), ("p", "Nobody was hurt."), ("p", P_EN)], []),
    ("new-ar-copyright-and-comment-count", "ar",
     [P_AR, "3 تعليقات", "جميع الحقوق محفوظة © 2019"],
     [("p", P_AR)], []),
]


@pytest.mark.parametrize(("lang", "body", "expected", "unsure"),
                         [c[1:] for c in NEW], ids=[c[0] for c in NEW])
def test_new_case(lang, body, expected, unsure):
    got, reported, _ = _run(lang, body)
    assert got == expected
    assert reported == set(unsure)


# A second batch, written after the fixes that the first batch and an unseen news-site scrape
# led to, again never tuned on: 8 of these 10 passed before any further change. The two that
# failed led to: a heading-like "name/organisation" line that follows no photo is a sub-heading
# (said as unsure), and "البريد الإلكتروني" is a share button's label.
NEW2 = [
    ("new2-en-caption-then-bracketed-agency-line", "en",
     [PHOTO, "Relief trucks wait at the last checkpoint before the villages.", "(AP Photo/Hussein Malla)",
      P_EN],
     [("fig", "Relief trucks wait at the last checkpoint before the villages.", "AP Photo/Hussein Malla"),
      ("p", P_EN)], []),
    ("new2-ar-photo-credit-label-hoqooq", "ar",
     [PHOTO, "حقوق الصورة: وزارة الدفاع اللبنانية", P_AR],
     [("fig", "", "حقوق الصورة: وزارة الدفاع اللبنانية"), ("p", P_AR)], []),
    ("new2-en-image-credit-label", "en",
     [photo("A convoy on a mountain road."), "Image credit: UNIFIL", P_EN],
     [("fig", "A convoy on a mountain road.", "Image credit: UNIFIL"), ("p", P_EN)], []),
    ("new2-ar-caption-colon-credit-no-stop", "ar",
     [PHOTO, "قافلة إغاثة على طريق جبلي تصوير: رامي الأسعد", P_AR],
     [("fig", "قافلة إغاثة على طريق جبلي", "تصوير: رامي الأسعد"), ("p", P_AR)], []),
    ("new2-en-heading-with-slash-is-not-a-credit", "en",
     [P_EN, "Before/After the Storm", P_EN],
     [("p", P_EN), ("h", "Before/After the Storm"), ("p", P_EN)], ["Before/After the Storm"]),
    ("new2-ar-print-email-line", "ar",
     [P_AR, "طباعة | البريد الإلكتروني | واتساب", LONG_AR],
     [("p", P_AR), ("p", LONG_AR)], []),
    ("new2-en-more-on-this-label", "en",
     [P_EN, "More on this: UN peacekeeping budget cut", P_EN],
     [("p", P_EN), ("p", P_EN)], []),
    ("new2-ar-two-sentence-paragraph-after-photo", "ar",
     [PHOTO, "وصلت القافلة ظهراً. وبدأ توزيع المساعدات على الفور.", P_AR],
     [("fig", "", ""), ("p", "وصلت القافلة ظهراً. وبدأ توزيع المساعدات على الفور."), ("p", P_AR)], []),
    ("new2-en-photo-courtesy", "en",
     [PHOTO, "Photo courtesy of the Kazakh Ministry of Defence", P_EN],
     [("fig", "", "Photo courtesy of the Kazakh Ministry of Defence"), ("p", P_EN)], []),
    ("new2-ar-heading-then-photo", "ar",
     [P_AR, "على الطريق", PHOTO, "شاحنات الإغاثة على الطريق الجبلي.", "تصوير: رامي الأسعد", LONG_AR],
     [("p", P_AR), ("h", "على الطريق"), ("fig", "شاحنات الإغاثة على الطريق الجبلي.", "تصوير: رامي الأسعد"),
      ("p", LONG_AR)], []),
]


@pytest.mark.parametrize(("lang", "body", "expected", "unsure"),
                         [c[1:] for c in NEW2], ids=[c[0] for c in NEW2])
def test_new2_case(lang, body, expected, unsure):
    got, reported, _ = _run(lang, body)
    assert got == expected
    assert reported == set(unsure)


# ---------------------------------------------------------------------------------------------
# A hostile review of the photo lines above (image addresses alone, linked photos, photos above
# the title), each fault it found.

def test_a_headline_after_a_photo_above_the_title_is_the_title():
    """Only a credit of a name's length (or an agency, or one in brackets) is taken after a photo
    above the title: "صور: …" and "Photos: …" headlines were taken for its credit."""
    for headline in ("صور: دمار واسع في قرى الجنوب", "Photos: Life after the flood in Derna",
                     "وكالة الفضاء الأوروبية تطلق قمراً", "الحرب/السلام في جنوب لبنان"):
        text = f"https://example.org/photos/p1.jpg\n{headline}\nالقرى بعد الحرب\nأحمد علي\n{P0_AR}\n"
        article, _ = importer.parse(text, Path("case.txt"))
        assert (article.title, article.deck, article.byline) == (headline, "القرى بعد الحرب", "أحمد علي")
        assert blocks_of(article)[0] == ("fig", "", "")
    for credit in ("تصوير: منى الشريف", "رويترز", "(أحمد علي/رويترز)"):
        article, _ = importer.parse(f"{PHOTO}\n{credit}\n{HEAD_AR}{P0_AR}\n", Path("case.txt"))
        assert article.title == HEAD_AR.split("\n")[0] and article.figures[0].credit == credit.strip("()")


@pytest.mark.parametrize("line", [
    "https://pinterest.com/pin/create/button/?url=https://example.org/a&media=https://example.org/img/p.jpg",
    "https://example.org/article?id=5&thumb=a.jpg", "https://example.org/page.html#photo.png",
    "https://example.org/[x](y).jpg", "https://example.org/photo.jpg.html"])
def test_an_address_that_only_mentions_an_image_is_no_photo(line):
    article, _ = importer.parse(f"{HEAD_AR}{P0_AR}\n{line}\n{P_AR}\n", Path("case.txt"))
    assert article.figures == () and blocks_of(article)[-1] == ("p", P_AR)
    assert not any("](" in b for block in blocks_of(article) for b in block)


def test_an_image_address_with_brackets_is_one_photo():
    src = "https://upload.wikimedia.org/wikipedia/commons/a/ab/Foo_(bar).jpg"
    article, _ = importer.parse(f"{HEAD_AR}{P0_AR}\n{src}\nتصوير: أحمد علي\n{P_AR}\n", Path("case.txt"))
    assert [f.src for f in article.figures] == [src.replace("(", "%28").replace(")", "%29")]
    assert blocks_of(article)[1:] == [("fig", "", "تصوير: أحمد علي"), ("p", P_AR)]


def test_an_image_address_after_the_text_is_the_page_s_share_image():
    """An image's address among the last lines (only metadata after it) is dropped: it took the
    source line after it for its credit and stood after the end of the article."""
    text = f"{HEAD_AR}{P0_AR}\n{P_AR}\nhttps://example.org/share/hero.jpg\nالمصدر: مجلة الدفاع\n"
    article, _ = importer.parse(text, Path("case.txt"))
    assert article.figures == () and article.publication == "مجلة الدفاع"


def test_the_language_leaves_the_addresses_out():
    photos = "\n".join(f"https://example.org/photos/a-long-name-for-photo-{n}.jpg" for n in range(8))
    article, _ = importer.parse(f"{HEAD_AR}{P0_AR}\n{photos}\n{P_AR}\n", Path("case.txt"))
    assert article.lang == "ar" and len(article.figures) == 8
