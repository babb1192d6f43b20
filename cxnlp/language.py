"""Finnish/English detection for short, informal feedback texts.

Function words and Finnish letters/endings vote; no model file, no dependency, microseconds per text.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_FI_WORDS = frozenset(
    ["ja", "on", "ei", "oli", "ole", "en", "et", "ett", "että", "mutta", "mut", "kun", "jos", "niin", "nii", "se", "ne", "sen", "sit", "sitten", "myös", "vielä", "jo", "tai", "kuin", "mä", "sä", "mää", "sää", "mun", "sun", "me", "te", "he", "minä", "sinä", "hän", "meidän", "teidän", "heidän", "tää", "toi", "tämä", "tuo", "joka", "mikä", "miksi", "miten", "missä", "milloin", "kuka", "mitä", "onko", "oliko", "eikö", "voisi", "voiko", "kiitos", "kiitti", "kiitoksia", "hyvä", "huono", "todella", "tosi", "ihan", "aivan", "vaan", "vain", "nyt", "taas", "aina", "koskaan", "mitään", "jotain", "kaikki", "yhtään", "olen", "olin", "ollut", "olisi", "on", "ovat", "palvelu", "asiakaspalvelu", "tilaus", "lasku", "hinta", "nopea", "hidas", "ystävällinen", "tyly", "kuljettaja", "sovellus"]
)
_EN_WORDS = frozenset(
    ["the", "and", "is", "was", "were", "are", "be", "been", "not", "no", "but", "if", "so", "it", "its", "this", "that", "these", "those", "there", "then", "also", "still", "a", "an", "of", "to", "in", "on", "for", "with", "at", "by", "from", "my", "your", "our", "their", "his", "her", "i", "you", "we", "they", "he", "she", "me", "us", "them", "what", "why", "how", "when", "where", "who", "which", "can", "could", "would", "should", "will", "did", "does", "do", "don't", "didn't", "can't", "won't", "thanks", "thank", "good", "bad", "very", "really", "just", "again", "never", "always", "service", "customer", "order", "delivery", "app", "staff", "great", "terrible", "awful", "rude", "slow", "fast", "help", "please"]
)
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "kin", "kaan", "kään", "ko", "kö",
               "nut", "nyt", "tiin", "ttiin", "mme", "tte", "isi", "ksi", "ni", "si", "ään", "aan")
_EN_ENDINGS = ("ing", "ed", "ly", "tion", "'s", "n't")


def detect_language(text: str) -> str:
    """Return ``"fi"`` or ``"en"`` for a feedback text (``"en"`` when there is no evidence either way)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "en"
    fi = en = 0.0
    for w in words:
        if w in _FI_WORDS:
            fi += 2
        if w in _EN_WORDS:
            en += 2
        if any(ch in w for ch in "äöå"):
            fi += 3
        if len(w) > 4 and w.endswith(_FI_ENDINGS):
            fi += 0.5
        if len(w) > 4 and w.endswith(_EN_ENDINGS):
            en += 0.5
        if "w" in w or "th" in w or "sh" in w or w.endswith("y"):
            en += 0.3
        if len(w) > 3 and w[-1] in "aiouyä" and w[-2] not in "aeiouy":
            fi += 0.4
        if "ii" in w or "uu" in w or "aa" in w or "yy" in w or "kk" in w or "tt" in w:
            fi += 0.3
    return "fi" if fi > en else "en"
