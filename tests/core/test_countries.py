from vigil.core.countries import GS, is_member, members


def test_members_are_interpols_196_countries_and_the_general_secretariat() -> None:
    countries = [m for m in members() if m.kind == "country"]
    assert len(countries) == 196
    assert members()[-1].code == GS


def test_member_codes_are_iso_alpha3_as_in_passports() -> None:
    assert is_member("FRA") and is_member("PSE") and is_member("VAT") and is_member("CUW")
    assert not is_member("PRK")  # a UN member that is not an INTERPOL member
    assert not is_member("XXA")  # a stateless person's MRZ code, not a member
