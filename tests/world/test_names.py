"""Names per nationality and script: deterministic, complete, romanised, with variants."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from vigil.core.countries import members
from vigil.errors import InvalidInput
from vigil.world.names import (
    FAMILY_FIRST,
    PersonName,
    draw_name,
    load_nicknames,
    spelling_variants,
)
from vigil.world.names.romanise import romanise

COUNTRIES = [m.code for m in members() if m.kind == "country"]
PLAIN_LATIN = re.compile(r"^[A-Za-z' -]*$")
SCRIPT_SAMPLE = ["RUS", "UKR", "GRC", "ISR", "ARM", "GEO", "IND", "THA", "CHN", "JPN", "KOR"]
SCRIPT_SAMPLE += ["SAU", "IRN", "EGY", "ETH", "BGD", "LKA", "MMR", "NPL", "PAK", "FRA"]


def _names(seed: int, countries: list[str], per_sex: int) -> list[PersonName]:
    rng = random.Random(seed)
    return [
        draw_name(rng, country, sex)
        for country in countries
        for sex in "MF"
        for _ in range(per_sex)
    ]


def _name(given: str, family: str, *, script: str, native: tuple[str, str]) -> PersonName:
    return PersonName(
        given=native[0],
        family=native[1],
        patronymic=None,
        script=script,
        order="given-family",
        full=" ".join(native),
        latin_given=given,
        latin_family=family,
        latin_patronymic=None,
        sex="M",
    )


def test_the_same_seed_draws_the_same_names() -> None:
    assert _names(42, SCRIPT_SAMPLE, 3) == _names(42, SCRIPT_SAMPLE, 3)
    assert _names(42, SCRIPT_SAMPLE, 3) != _names(43, SCRIPT_SAMPLE, 3)


def test_every_member_country_gets_names_with_plain_latin_forms() -> None:
    assert len(COUNTRIES) == 196
    rng = random.Random(7)
    for country in COUNTRIES:
        for sex in ("M", "F", "M", "F"):
            name = draw_name(rng, country, sex)
            assert name.given and name.latin_given, country
            assert name.sex == sex
            assert name.given in name.full and name.family in name.full
            for latin in (name.latin_given, name.latin_family, name.latin_patronymic or ""):
                assert PLAIN_LATIN.match(latin), (country, latin)


def test_names_come_in_at_least_twelve_scripts() -> None:
    scripts = {name.script for name in _names(1, SCRIPT_SAMPLE, 4)}
    assert len(scripts) >= 12, scripts
    assert {"Cyrl", "Grek", "Hebr", "Armn", "Geor", "Deva", "Thai", "Hans", "Jpan"} <= scripts
    assert {"Kore", "Arab", "Ethi", "Beng", "Latn"} <= scripts


@pytest.mark.parametrize("country", ["CHN", "JPN", "KOR", "HUN"])
def test_chinese_japanese_korean_and_hungarian_names_put_the_family_first(country: str) -> None:
    for name in _names(3, [country], 5):
        assert name.order == FAMILY_FIRST
        assert name.full.startswith(name.family)
        assert name.full.endswith(name.given)


def test_russian_patronymics_agree_with_sex() -> None:
    names = _names(5, ["RUS"], 60)
    for name in names:
        assert name.patronymic and name.latin_patronymic
        # Faker also has the few irregular ones, Ilyich and Kuzminichna, which are real.
        expected = r"ich$" if name.sex == "M" else r"(ovna|evna|ichna)$"
        assert re.search(expected, name.latin_patronymic), name.latin_patronymic
    regular = [n for n in names if re.search(r"(ov|ev)(ich|na)$", n.latin_patronymic or "")]
    assert len(regular) >= 0.9 * len(names)


def test_gulf_names_carry_bin_or_bint_and_the_father() -> None:
    for name in _names(9, ["SAU"], 20):
        particle = "bint" if name.sex == "F" else "bin"
        assert (name.latin_patronymic or "").startswith(particle + " ")
        assert (name.patronymic or "").startswith("بنت " if name.sex == "F" else "بن ")


def test_icelandic_family_names_are_the_father_s_son_or_daughter() -> None:
    for name in _names(11, ["ISL"], 10):
        assert name.family.endswith("dóttir" if name.sex == "F" else "son")


def test_spanish_names_carry_two_surnames() -> None:
    assert all(len(n.latin_family.split()) >= 2 for n in _names(13, ["ESP"], 10))


def test_unknown_nationality_and_sex_are_invalid_input() -> None:
    rng = random.Random(1)
    with pytest.raises(InvalidInput):
        draw_name(rng, "GS", "M")
    with pytest.raises(InvalidInput):
        draw_name(rng, "XXX", "F")
    with pytest.raises(InvalidInput):
        draw_name(rng, "FRA", "X")


@pytest.mark.parametrize(
    ("scheme", "native", "latin"),
    [
        ("ru", "Сергеевич", "Sergeyevich"),
        ("ru", "Фёдор", "Fyodor"),
        ("uk", "Олександр", "Oleksandr"),
        ("uk", "Григорій", "Hryhorii"),
        ("bg", "Христо", "Hristo"),
        ("el", "Παπαευαγγελίου", "Papaevangeliou"),
        ("hy", "Երևան", "Yerevan"),
        ("ka", "ჭელიძე", "Chelidze"),
        ("ko", "옥자", "Okja"),
        ("zh", "吕", "Lyu"),
        ("indic", "देशमुख", "Deshmukh"),
        ("indic", "রহমান", "Rahman"),
        ("indic", "முருகன்", "Murugan"),
        ("ar", "عبد المجيد", "Abdulmajid"),
        ("ar", "الخطيب", "Al-Khatib"),
        ("fa", "فاطمه", "Fatemeh"),
        ("latin", "Þórdís Müller", "Thordis Muller"),
    ],
)
def test_romanisation_follows_each_script_s_scheme(scheme: str, native: str, latin: str) -> None:
    assert romanise(scheme, native) == latin


def test_variants_of_an_arabic_name_include_the_muhammad_spellings() -> None:
    name = _name("Mohammed", "Al-Hassan", script="Arab", native=("محمد", "الحسن"))
    variants = spelling_variants(random.Random(1), name)
    assert {"Muhammad Al-Hassan", "Mohamed Al-Hassan", "Mohamad Al-Hassan"} <= set(variants)
    assert {"Mohammed Hassan", "Mohammed El-Hassan", "Mohammed Alhassan"} <= set(variants)
    assert "Mohammed Al-Hassan" not in variants


def test_variants_of_a_cyrillic_name_include_french_and_german_transliterations() -> None:
    name = _name("Pyotr", "Chaykovskiy", script="Cyrl", native=("Пётр", "Чайковский"))
    families = {v.rsplit(" ", 1)[1] for v in spelling_variants(random.Random(1), name)}
    assert any(f.startswith("Tch") for f in families)
    assert any(f.startswith("Tsch") for f in families)


def test_spelling_variants_take_the_same_bits_whatever_the_name() -> None:
    short = _name("Anna", "Berg", script="Latn", native=("Anna", "Berg"))
    arabic = _name("Mohammed", "Al-Hassan", script="Arab", native=("محمد", "الحسن"))
    first, second = random.Random(3), random.Random(3)
    spelling_variants(first, short)
    spelling_variants(second, arabic)
    assert first.random() == second.random()


def test_nicknames_are_added_only_when_given(tmp_path: Path) -> None:
    table = tmp_path / "names.csv"
    table.write_text("name1,relationship,name2\nwilliam,has_nickname,bill\n", encoding="utf-8")
    nicknames = load_nicknames(table)
    name = _name("William", "Smith", script="Latn", native=("William", "Smith"))
    assert "Bill Smith" in spelling_variants(random.Random(1), name, nicknames=nicknames)
    assert "Bill Smith" not in spelling_variants(random.Random(1), name)
    assert load_nicknames(tmp_path / "absent.csv") is None
