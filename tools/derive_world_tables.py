"""Derive the synthetic world's flow tables from the shared data sets.

Sources (raw files stay in the shared data folder; only these small derived tables are committed):

- UNODC, Global Report on Trafficking in Persons (GLOTIP), country data table ``data_glotip.csv``
  (UNODC data portal, vintage about 2023). Reuse is free with attribution to UNODC; no other
  licence is stated. Gives ``victim_flows.csv`` and ``exploitation.csv``.
- OpenFlights airports and routes (``jpatokal/openflights``, routes snapshot of June 2014),
  licensed under the Open Database License (ODbL) 1.0. ``air_links.csv`` is a Produced Work
  derived from that database; its attribution is in ``SOURCES.md`` next to the tables.

Regenerate (stdlib and pycountry only, so it runs in the project's venv)::

    python tools/derive_world_tables.py --data ../shared/data --out src/vigil/world/data

GLOTIP choices, each documented in SOURCES.md: figures from 2015 onwards (a country whose latest
figures predate 2015 contributes its latest five reported years instead); ``<5`` counts as 2;
citizenship names are resolved to ISO 3166-1 alpha-3 by an explicit table, then by pycountry's
exact lookup. pycountry's fuzzy search is not used: it maps "Republic of Korea" to North Korea,
"Kosovo" to Serbia and "Spanish" to the Bahamas. Names that resolve to no country (regions,
"Unknown", blank cells, which are the reporting country's total) are dropped and listed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pycountry

SINCE_YEAR = 2015
FALLBACK_YEARS = 5
SUPPRESSED = 2  # "<5" is 1 to 4 victims; 2 keeps suppressed cells below reported ones.
MAX_AIR_LINKS_BYTES = 300_000

VICTIMS = "Detected trafficking victims"
DOMESTIC = "domestic"  # marker: the victims are citizens of the detecting country

# Folded GLOTIP citizenship names (see _fold) that pycountry's exact lookup does not resolve:
# national adjectives, Spanish/French/Italian names, typos and UN long forms. None = no country.
CITIZENSHIP_NAMES: dict[str, str | None] = {
    "nationals": DOMESTIC,
    "ciudadanos de su pa?s": DOMESTIC,
    "netherlands (own country)": DOMESTIC,
    "97 albanian": DOMESTIC,  # reported by Albania itself
    "abania": "ALB",
    "albanian": "ALB",
    "angolan": "AGO",
    "angolans": "AGO",
    "argentino": "ARG",
    "b & h": "BIH",
    "barsil": "BRA",
    "belice?a": "BLZ",
    "belarussian": "BLR",
    "belga": "BEL",
    "belizean": "BLZ",
    "benin rep": "BEN",
    "bhuatnese": "BTN",
    "bielorrusia": "BLR",
    "bolivia (plurinational state of)": "BOL",
    "bosnia": "BIH",
    "bosnia erzegovina": "BIH",
    "bosnian": "BIH",
    "brasil": "BRA",
    "brasilera": "BRA",
    "brasilero": "BRA",
    "brazilian": "BRA",
    "bresil": "BRA",
    "burmese": "MMR",
    "byelorussian": "BLR",
    "c?te d?ivoire": "CIV",
    "camerun": "CMR",
    "cameroonian": "CMR",
    "china, hong kong sar": "HKG",
    "china, hong kong special administrative region": "HKG",
    "china, taiwan province of china": "TWN",
    "chino": "CHN",
    "colombiana": "COL",
    "colombiano": "COL",
    "columbia": "COL",
    "corea del sur": "KOR",
    "costa d'avorio": "CIV",
    "cote d'ivoire": "CIV",
    "croazia": "HRV",
    "cubano": "CUB",
    "dem. rep. of the congo": "COD",
    "democratic republic of the congo": "COD",
    "dominican rebublic": "DOM",
    "dominican rep": "DOM",
    "dominicana": "DOM",
    "erithera": "ERI",
    "eritrean": "ERI",
    "ethiopie": "ETH",
    "ethopia": "ETH",
    "etiopia": "ETH",
    "filippine": "PHL",
    "gambian": "GMB",
    "gana": "GHA",
    "georgian": "GEO",
    "ghanaian": "GHA",
    "guatemalan": "GTM",
    "guinea conakry": "GIN",
    "guinea ecuatorial": "GNQ",
    "haitiano": "HTI",
    "hodruanian": "HND",
    "honduranian": "HND",
    "hondure?a": "HND",
    "hongrie": "HUN",
    "hungria": "HUN",
    "indian": "IND",
    "indonesian": "IDN",
    "indonesie": "IDN",
    "iran (islamic republic of)": "IRN",
    "italia": "ITA",
    "kazahstan": "KAZ",
    "kazakhistan": "KAZ",
    "kazalhstan": "KAZ",
    "keniano": "KEN",
    "kirghiz": "KGZ",
    "kirguizstan": "KGZ",
    "lao people's dem. republic": "LAO",
    "libanon": "LBN",
    "lybia": "LBY",
    "macedonian": "MKD",
    "madagascarian": "MDG",
    "maroc": "MAR",
    "marruecos": "MAR",
    "mexico": "MEX",
    "moldovan": "MDA",
    "morrocan": "MAR",
    "nederland": "NLD",
    "netherlands (kingdom of the)": "NLD",
    "niger rep": "NER",
    "palestine": "PSE",
    "panam?": "PAN",
    "paraguayo": "PRY",
    "per?": "PER",
    "pero": "PER",  # reported by Ecuador, where "Perú" is meant
    "peruana": "PER",
    "peruano": "PER",
    "polonia": "POL",
    "r.dominicana": "DOM",
    "rep. dominicana": "DOM",
    "rep?blica dominicana": "DOM",
    "republic of korea": "KOR",
    "republica checa": "CZE",
    "republica dominicana": "DOM",
    "republique de moldavie": "MDA",
    "republique tcheque": "CZE",
    "roumanie": "ROU",
    "rusia": "RUS",
    "salvadore?a": "SLV",
    "senegal": "SEN",
    "sierra leonean": "SLE",
    "siria": "SYR",
    "spanish": "ESP",
    "st vincent and the grenadines": "VCT",
    "state of palestine": "PSE",
    "sudafrica": "ZAF",
    "swaziland": "SWZ",
    "syriah": "SYR",
    "t?rkiye": "TUR",
    "taiwanese": "TWN",
    "tanzanian": "TZA",
    "the former yugoslav republic of macedonia": "MKD",
    "the ukraine": "UKR",
    "tunisa": "TUN",
    "turkiye": "TUR",
    "ucrania": "UKR",
    "ugandan": "UGA",
    "venezolana": "VEN",
    "venezolano": "VEN",
    "venezuela (bolivarian republic of)": "VEN",
    "vietnamese": "VNM",
    "zambian": "ZMB",
    # Not one country: regions, unknowns, own-total lines, stateless groups, ambiguous labels
    # ("Nationality" sits beside separate own-country lines; "Congolese" may be either Congo).
    "": None,
    "(especifique otras nacionalidades)": None,
    "amercias": None,
    "caribbean (trinidad and tobago, barbados, etc)": None,
    "central africa": None,
    "congolese": None,
    "desconocida": None,
    "desconocido": None,
    "disputed": None,
    "european economic area": None,
    "former yugoslavia": None,
    "kosovo": None,  # no ISO 3166-1 code, and not a member
    "kosovo (under unsc res. 1244)": None,
    "kosovo under unscr 1244": None,
    "m49 region: africa": None,
    "m49 region: americas": None,
    "m49 region: asia": None,
    "n/a": None,
    "nationality": None,
    "no determinada": None,
    "no registra": None,
    "other countries (dominica, panama, french guiana, brazil, etc.)": None,
    "otros": None,
    "personnes de nationalit? ?trang?re": None,
    "rohingya": None,
    "sin determinar": None,
    "total": None,
    "unknown": None,
    "without": None,
}

# OpenFlights airport country names that neither countries.dat nor pycountry resolve.
AIRPORT_COUNTRIES = {
    "Brunei": "BRN",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD",
    "East Timor": "TLS",
    "Faroe Islands": "FRO",
    "Kyrgyzstan": "KGZ",
    "Macau": "MAC",
    "Micronesia": "FSM",
    "Saint Helena": "SHN",
    "Saint Kitts and Nevis": "KNA",
    "Saint Lucia": "LCA",
    "Saint Pierre and Miquelon": "SPM",
    "Saint Vincent and the Grenadines": "VCT",
    "Svalbard": "SJM",
    "Swaziland": "SWZ",
    "Virgin Islands": "VIR",
    "Wallis and Futuna": "WLF",
    "West Bank": "PSE",
    # United States Minor Outlying Islands, listed one by one in OpenFlights.
    "Johnston Atoll": "UMI",
    "Midway Islands": "UMI",
    "Wake Island": "UMI",
}
# The former Netherlands Antilles (no ISO code since 2010), by airport: Curacao and Sint Maarten
# are members of their own; Bonaire, Sint Eustatius and Saba are the Caribbean Netherlands.
ANTILLES_AIRPORTS = {"CUR": "CUW", "SXM": "SXM", "BON": "BES", "EUX": "BES", "SAB": "BES"}

FORMS = {
    "Sexual exploitation": "sexual",
    "Forced labour": "forced_labour",
    "Other forms of exploitation": "other",
}
GROUPS = {
    ("Female", "18 years or over"): "women",
    ("Female", "0 to 17 years"): "girls",
    ("Male", "18 years or over"): "men",
    ("Male", "0 to 17 years"): "boys",
}


def _fold(name: str) -> str:
    """A comparison key: mojibake repaired, accents and case dropped, lost characters as '?'."""
    # Some cells were UTF-8 read as Latin-1 once ("TÃ¼rkiye"); undo that when it applies.
    with contextlib.suppress(UnicodeError):
        name = name.encode("latin-1").decode("utf-8")
    decomposed = unicodedata.normalize("NFKD", name.replace("\ufffd", "?"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _iso3(name: str) -> str | None:
    """The ISO alpha-3 code of a country name, or None."""
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


def citizenship_code(category: str, detected_in: str) -> str | None:
    """The citizenship a GLOTIP category names, or None when it names no single country."""
    key = _fold(category)
    if key in CITIZENSHIP_NAMES:
        code = CITIZENSHIP_NAMES[key]
        return detected_in if code == DOMESTIC else code
    return _iso3(category) or _iso3(key)


def victims(text: str) -> int:
    """A GLOTIP count: thousands separators removed, suppressed small counts as SUPPRESSED."""
    text = text.strip().replace(",", "").replace(" ", "")
    if text.startswith("<"):
        return SUPPRESSED
    return int(float(text))


def recent_years(years: Iterable[int]) -> set[int]:
    """The years to sum: 2015 onwards, or the latest FALLBACK_YEARS when none is that recent."""
    years = sorted(set(years))
    recent = {y for y in years if y >= SINCE_YEAR}
    return recent or set(years[-FALLBACK_YEARS:])


def _glotip_rows(path: Path, dimension: str) -> Iterator[dict[str, str]]:
    """GLOTIP detected-victim rows of one dimension, for ISO countries only (no regions)."""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Indicator"] != VICTIMS or row["Dimension"] != dimension:
                continue
            # Regional aggregates (SAM, CAS...) and "Sark" have a blank region or no ISO code.
            if not row["Region"] or pycountry.countries.get(alpha_3=row["Iso3_code"]) is None:
                continue
            yield row


def _in_window(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Keep each detecting country's rows from its recent years only."""
    years: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        years[row["Iso3_code"]].add(int(row["Year"]))
    window = {iso: recent_years(ys) for iso, ys in years.items()}
    return [r for r in rows if int(r["Year"]) in window[r["Iso3_code"]]]


def derive_victim_flows(path: Path) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(citizenship, detected_in) -> victims, and the dropped category names with their victims."""
    cells: dict[tuple[str, str, str], int] = {}
    dropped: Counter[str] = Counter()
    for row in _in_window(list(_glotip_rows(path, "by citizenship"))):
        detected_in = row["Iso3_code"]
        count = victims(row["txtVALUE"])
        citizenship = citizenship_code(row["Category"], detected_in)
        if citizenship is None:
            dropped[row["Category"]] += count
            continue
        # Two cells naming the same citizenship in one year ("Nationals" beside the country's own
        # name) restate one figure: keep the larger rather than count the victims twice.
        key = (citizenship, detected_in, row["Year"])
        cells[key] = max(cells.get(key, 0), count)
    flows: Counter[tuple[str, str]] = Counter()
    for (citizenship, detected_in, _year), count in cells.items():
        flows[citizenship, detected_in] += count
    return flows, dropped


def derive_exploitation(path: Path) -> dict[str, dict[str, int]]:
    """Per detecting country: victims by form of exploitation and by sex and age group."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    forms = [
        r
        for r in _glotip_rows(path, "by form of exploitation")
        if r["Sex"] == "Total" and r["Age"] == "Total" and r["Category"] in FORMS
    ]
    for row in _in_window(forms):
        column = FORMS[row["Category"]]
        entry = table[row["Iso3_code"]]
        entry[column] = entry.get(column, 0) + victims(row["txtVALUE"])
    groups = [r for r in _glotip_rows(path, "Total") if (r["Sex"], r["Age"]) in GROUPS]
    for row in _in_window(groups):
        column = GROUPS[row["Sex"], row["Age"]]
        entry = table[row["Iso3_code"]]
        entry[column] = entry.get(column, 0) + victims(row["txtVALUE"])
    return table


def _read_dat(path: Path) -> Iterator[list[str]]:
    """Rows of an OpenFlights .dat file (CSV without header)."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh)


def _country_codes(folder: Path) -> dict[str, str]:
    """OpenFlights country name -> ISO alpha-3, through countries.dat's ISO alpha-2 codes."""
    codes: dict[str, str] = {}
    for name, alpha_2, _dafif in _read_dat(folder / "countries.dat"):
        country = pycountry.countries.get(alpha_2=alpha_2)
        if country is not None:
            codes[name] = str(country.alpha_3)
    return codes


def _airport_countries(folder: Path) -> tuple[dict[str, str], set[str]]:
    """Airport id and IATA code -> ISO alpha-3, and the country names left unresolved."""
    names = _country_codes(folder)
    airports: dict[str, str] = {}
    unresolved: set[str] = set()
    for row in _read_dat(folder / "airports.dat"):
        airport_id, country, iata = row[0], row[3], row[4]
        code = (
            ANTILLES_AIRPORTS.get(iata)
            or names.get(country)
            or AIRPORT_COUNTRIES.get(country)
            or _iso3(country)
        )
        if code is None:
            unresolved.add(country)
            continue
        airports[airport_id] = code
        if iata != "\\N":
            airports[iata] = code
    return airports, unresolved


def derive_air_links(folder: Path) -> tuple[Counter[tuple[str, str]], set[str]]:
    """(origin, destination) -> distinct international airline routes, and unresolved names."""
    airports, unresolved = _airport_countries(folder)
    seen: set[tuple[str, str, str]] = set()
    links: Counter[tuple[str, str]] = Counter()
    for airline, airline_id, src, src_id, dst, dst_id, codeshare, *_ in _read_dat(
        folder / "routes.dat"
    ):
        # A codeshare is another airline's seat on a flight already listed by its operator.
        if codeshare == "Y":
            continue
        origin = airports.get(src_id) or airports.get(src)
        destination = airports.get(dst_id) or airports.get(dst)
        if origin is None or destination is None or origin == destination:
            continue
        route = (airline_id if airline_id != "\\N" else airline, src, dst)
        if route not in seen:
            seen.add(route)
            links[origin, destination] += 1
    return links, unresolved


def write_pairs(path: Path, header: tuple[str, str, str], pairs: Counter[tuple[str, str]]) -> None:
    """Write a sorted three-column table of (code, code) -> integer."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for (first, second), value in sorted(pairs.items()):
            if value > 0:
                writer.writerow([first, second, value])


def write_exploitation(path: Path, table: dict[str, dict[str, int]]) -> None:
    """Write the per-country table; an empty cell means the country reported no such figure."""
    columns = [*FORMS.values(), *GROUPS.values()]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["detected_in", *columns])
        for code in sorted(table):
            writer.writerow([code, *(table[code].get(c, "") for c in columns)])


def _report(flows: Counter[tuple[str, str]], dropped: Counter[str], out: Path) -> None:
    """Print what was derived and what was dropped, for the person regenerating the tables."""
    total = sum(flows.values())
    print(f"victim flows: {len(flows)} pairs, {total} victims")
    for (citizenship, detected_in), weight in flows.most_common(10):
        print(f"  {citizenship} -> {detected_in}: {weight}")
    print(f"dropped citizenship categories ({sum(dropped.values())} victims):")
    for name, count in dropped.most_common():
        print(f"  {name!r}: {count}")
    for path in sorted(out.glob("*.csv")):
        print(f"{path.name}: {path.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/vigil/world/data"))
    args = parser.parse_args(argv)
    glotip = args.data / "unodc-glotip" / "data_glotip.csv"
    openflights = args.data / "openflights"
    if not glotip.is_file() or not (openflights / "routes.dat").is_file():
        print(f"skipped: the shared data sets are not under {args.data}", file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    flows, dropped = derive_victim_flows(glotip)
    write_pairs(args.out / "victim_flows.csv", ("citizenship", "detected_in", "weight"), flows)
    write_exploitation(args.out / "exploitation.csv", derive_exploitation(glotip))
    links, unresolved = derive_air_links(openflights)
    write_pairs(args.out / "air_links.csv", ("origin", "destination", "routes"), links)
    _report(flows, dropped, args.out)
    print(f"air links: {len(links)} country pairs; unresolved airport countries: {unresolved}")
    if (args.out / "air_links.csv").stat().st_size > MAX_AIR_LINKS_BYTES:
        print(
            "air_links.csv is larger than expected: keep the top links per origin", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
