"""The one text normaliser, used by training and prediction alike."""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"(?<!\w)@\w+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200d\ufeff]")
_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{3,}")


def normalize(text: str) -> str:
    """Canonical form of a feedback text.

    NFC Unicode, URLs/e-mails/@mentions replaced by placeholders (they identify, not evaluate),
    control characters dropped, runs of 4+ equal characters cut to 3 ("!!!!!!" -> "!!!"),
    whitespace collapsed. Case is kept: encoders decide whether it matters.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, found {type(text).__name__}")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _URL.sub(" <url> ", text)
    text = _EMAIL.sub(" <email> ", text)
    text = _MENTION.sub("@user", text)
    text = _REPEAT.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip()


def has_content(normalized: str) -> bool:
    """True when a normalised text holds something to classify: a letter, a digit or a symbol such as an emoji."""
    return any(ch.isalnum() or unicodedata.category(ch) == "So" for ch in normalized)


# placeholders from normalize(), words (with inner hyphens, apostrophes and colons: "EU:n", "don't"),
# then every other non-space character on its own (punctuation, emoji)
_TOKEN = re.compile(r"<(?:url|email)>|@user|\w+(?:[-'’:]\w+)*|[^\w\s]")
TOKENIZER_VERSION = "words/1"


def tokenize(texts: list[str]) -> list[list[str]]:
    """Word tokens of normalised texts (the same rules for Finnish and English).

    A small Unicode regex rather than spaCy: spaCy's import costs about a second (two with torch
    installed, which spaCy's thinc then imports), and for TF-IDF features its rules add nothing here.
    """
    return [_TOKEN.findall(text) for text in texts]
