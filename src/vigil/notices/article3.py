"""Risk indicators under Article 3 of INTERPOL's Constitution: "It is strictly forbidden for
the Organization to undertake any intervention or activities of a political, military,
religious or racial character."

The reviewer decides; these indicators only point at what a request says that often marks
such a case (the offences named in INTERPOL's Repository of Practice on Article 3: insulting
a head of state, desertion, blasphemy, membership of an opposition party...). Terms are
matched on whole words, accents and case aside, in English, French, Spanish and Arabic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str  # article3.<character>
    message: str
    terms: tuple[str, ...]


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "article3.political",
        "Offence of a political character (against the state, its head or its order)",
        (
            "insult to the head of state",
            "insulting the head of state",
            "insulting the president",
            "insult to the president",
            "insulting the king",
            "lese majeste",
            "lèse-majesté",
            "defamation of the president",
            "sedition",
            "seditious",
            "treason",
            "high treason",
            "subversion",
            "subversive",
            "political offence",
            "political offense",
            "opposition party",
            "membership of an opposition",
            "unauthorised demonstration",
            "unauthorized demonstration",
            "illegal protest",
            "anti-government",
            "propaganda against the state",
            "separatism",
            "separatist",
            "offense au chef de l'etat",
            "outrage au chef de l'etat",
            "injure au president",
            "parti d'opposition",
            "trahison",
            "sedition",
            "atteinte a la surete de l'etat",
            "injurias al jefe del estado",
            "ultraje al presidente",
            "desacato",
            "traicion",
            "partido de oposicion",
            "sedicion",
            "rebelion",
            "إهانة رئيس الدولة",
            "إهانة الرئيس",
            "المساس بالذات الملكية",
            "خيانة عظمى",
            "حزب معارض",
            "المعارضة",
            "تقويض نظام الحكم",
        ),
    ),
    Indicator(
        "article3.military",
        "Offence of a military character (desertion, draft evasion, insubordination)",
        (
            "desertion",
            "deserter",
            "draft evasion",
            "evading conscription",
            "evasion of military service",
            "refusal to serve",
            "conscientious objector",
            "insubordination",
            "mutiny",
            "desertion",
            "insoumission",
            "refus de servir",
            "deserción",
            "desertor",
            "prófugo del servicio militar",
            "insubordinación",
            "motín",
            "الفرار من الخدمة العسكرية",
            "التهرب من التجنيد",
            "الفرار من الجندية",
            "تمرد عسكري",
        ),
    ),
    Indicator(
        "article3.religious",
        "Offence of a religious character (blasphemy, apostasy, proselytism)",
        (
            "blasphemy",
            "blasphemous",
            "apostasy",
            "apostate",
            "heresy",
            "proselytism",
            "proselytising",
            "proselytizing",
            "insulting religion",
            "insult to religion",
            "blasphème",
            "apostasie",
            "prosélytisme",
            "blasfemia",
            "apostasía",
            "proselitismo",
            "ازدراء الأديان",
            "التجديف",
            "الردة",
            "التبشير",
            "الإساءة إلى الدين",
        ),
    ),
    Indicator(
        "article3.racial",
        "Offence of a racial or ethnic character (belonging to a race or ethnic group)",
        (
            "racial",
            "ethnic origin",
            "ethnicity",
            "ethnic group",
            "origine ethnique",
            "appartenance ethnique",
            "origen étnico",
            "etnia",
            "الأصل العرقي",
            "الانتماء العرقي",
        ),
    ),
)

REFUGEE_TERMS = ("refugee", "asylum", "réfugié", "asile", "refugiado", "asilo", "لاجئ", "لجوء")


def fold(text: str) -> str:
    """Lower case, accents off (Arabic marks too), so "Blasphème" finds "blaspheme"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(fold(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


_PATTERNS = [(indicator, _pattern(indicator.terms)) for indicator in INDICATORS]
_REFUGEE = _pattern(REFUGEE_TERMS)


def indicators(texts: list[str]) -> list[tuple[Indicator, list[str]]]:
    """Each indicator the texts raise, with the words that raised it."""
    folded = fold("\n".join(texts))
    found = []
    for indicator, pattern in _PATTERNS:
        words = sorted({m.group(0) for m in pattern.finditer(folded)})
        if words:
            found.append((indicator, words))
    return found


def mentions_refuge(texts: list[str]) -> list[str]:
    """Words in the texts that speak of refugee status or asylum."""
    return sorted({m.group(0) for m in _REFUGEE.finditer(fold("\n".join(texts)))})
