import pytest

from cxnlp.language import detect_language
from cxnlp.preprocessing import has_content, normalize, tokenize


def test_normalize_is_canonical():
    assert normalize("  Soitin\t\n 3 kertaa!!!!!!  ") == "Soitin 3 kertaa!!!"
    assert normalize("see https://example.com/x?y=1 @AcmeHelp") == "see <url> @user"
    assert normalize("mail me at a.b@example.fi") == "mail me at <email>"
    # NFC: "a" + combining diaeresis becomes one "ä"
    assert normalize("pa\u0308iva\u0308") == "päivä"
    assert normalize("zero\u200bwidth") == "zerowidth"


def test_normalize_rejects_non_strings():
    with pytest.raises(TypeError):
        normalize(None)


@pytest.mark.parametrize("text, expected", [("", False), ("  ", False), ("?!...", False), ("👍", True), ("ok", True), ("5", True)])
def test_has_content(text, expected):
    assert has_content(normalize(text)) is expected


@pytest.mark.parametrize("text, lang", [
    ("Jonotin 40 minuuttia ja virkailija oli tyly.", "fi"),
    ("mä en saanu ketään kiinni koko päivänä", "fi"),
    ("ma en saanu ketaan kiinni, ihan surkeeta", "fi"),
    ("Missä vaiheessa tilaukseni on?", "fi"),
    ("The bill had a fee nobody told me about.", "en"),
    ("never again", "en"),
    ("driver was rude af lol", "en"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_tokenize_splits_punctuation_and_emoji():
    toks = tokenize(["Kiitos!👍 Nopea toimitus."])[0]
    assert toks == ["Kiitos", "!", "👍", "Nopea", "toimitus", "."]


def test_tokenize_keeps_word_internal_marks_and_placeholders():
    text = normalize("Don't call @mikko_k, see https://x.fi: EU:n ei-toivottu viesti")
    assert tokenize([text])[0] == ["Don't", "call", "@user", ",", "see", "<url>", "EU:n", "ei-toivottu", "viesti"]
