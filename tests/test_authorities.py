"""Which supervisory authority a person can complain to, from the country they name in any of our languages."""
import pytest
from hypothesis import given, settings, strategies as st

from bot.authorities import all_authorities, authority_for, find_authority
from bot.language import SUPPORTED

# GDPR complaints go to these numbers: they must be exactly as published (docs: ../shared/DOMAIN.md).
PUBLISHED = {
    "GB": ("0303 123 1113", "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF"),
    "FR": ("01 53 73 22 22", "3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07"),
    "IE": ("057 868 4800", "Canal House, Station Road, Portarlington, R32 AP23, Co. Laois"),
    "SE": ("08 657 61 00", "Box 8114, SE-104 20 Stockholm"),
    "ES": ("+34 901 100 099 / +34 91 266 35 17", None),
    "DE": ("+49 228 997799 0", None),
}


@pytest.mark.parametrize("country", sorted(PUBLISHED))
def test_published_contacts_are_exact(country):
    phone, address = PUBLISHED[country]
    authority = authority_for(country)
    assert authority.phone == phone
    if address:
        assert authority.address == address


@pytest.mark.parametrize("country, abbreviation", [
    ("GB", "ICO"), ("FR", "CNIL"), ("IE", "DPC"), ("SE", "IMY"), ("ES", "AEPD"), ("DE", "BfDI"), ("IT", "Garante"),
    ("NL", "AP"), ("PT", "CNPD"), ("RO", "ANSPDCP"), ("BE", "APD/GBA"),
])
def test_the_authorities_people_ask_about_most_are_known(country, abbreviation):
    authority = authority_for(country)
    assert authority.abbreviation == abbreviation
    assert authority.address and authority.website.startswith("https://")


def test_every_authority_has_its_country_named_in_each_language_we_understand():
    for authority in all_authorities():
        for language in SUPPORTED:
            assert authority.country_names.get(language), (authority.country, language)
            assert authority.country_name(language) == authority.country_names[language][0]


def test_no_country_name_points_to_two_authorities():
    seen = {}
    for authority in all_authorities():
        for names in authority.country_names.values():
            for name in names:
                key = name.casefold()
                assert seen.setdefault(key, authority.country) == authority.country, name


@pytest.mark.parametrize("text, country", [
    ("I live in Ireland", "IE"), ("je suis en France", "FR"), ("aus Österreich", "AT"), ("AUS OSTERREICH", "AT"),
    ("ich wohne in Deutschland", "DE"), ("vivo en España", "ES"), ("vivo en espana", "ES"),
    ("abito in Italia", "IT"), ("ik woon in Nederland", "NL"), ("moro em Portugal", "PT"),
    ("locuiesc în România", "RO"), ("j'habite en Belgique", "BE"), ("I'm in the U.K.", "GB"),
    ("I live in Northern Ireland", "GB"), ("vivo en Irlanda del Norte", "GB"), ("Ik woon in Groot-Brittannië", "GB"),
    ("bor i Sverige", "SE"), ("je vis en Suède", "SE"), ("Ζω στην Ελλάδα", "GR"), ("ich lebe in der Schweiz", "CH"),
    ("Allemagne", "DE"), ("Alemanha", "DE"), ("Duitsland", "DE"), ("Germania", "DE"),
])
def test_find_authority_from_the_country_a_person_names(text, country):
    assert find_authority(text).country == country


@pytest.mark.parametrize("text", ["", "I want to complain", "Francesca called me", "x" * 100_000, None])
def test_no_country_no_authority(text):
    assert find_authority(text) is None


def test_country_codes_people_use():
    assert authority_for("uk").country == "GB"
    assert authority_for("EL").country == "GR"
    assert authority_for("zz") is None
    assert authority_for("") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_find_authority_never_raises(text):
    result = find_authority(text)
    assert result is None or result.country
