"""ShopArena's lexical title similarity, the scorer's default (`Sources/Scoring/LexicalTitleSimilarity.swift`).

The rules, exactly as the Swift scorer applies them:

1. Normalise: lower-case; every character that is not a letter or a digit separates words; a change
   between letters and digits separates too ("160g" -> "160 g").
2. Tokens: the pieces minus a short stop list, each reduced by a light plural stemmer ("-ies" -> "-y",
   "-sses" -> "-ss", a final "s" dropped unless the word ends in "ss", "us" or "is"; words of 4+ letters).
3. Word score: cosine of the token-count vectors.
4. Character score: cosine of the character-trigram count vectors of the tokens joined by one space and
   padded with one space at both ends.
5. Score = (word score + character score) / 2; equal titles score 1; titles without a letter or digit 0.

The thresholds that stand in for the references' embedding thresholds are in
:func:`calibrated_threshold` (0.7 -> 0.5 for ORO, 0.5 -> 0.35 for ShoppingBench, 0.8 -> 0.6 for web tasks).

Letters and digits are decided per code point as Swift does: ASCII letters and digits; beyond ASCII a
character with a Unicode numeric value is a digit, an alphabetic one (categories L*, spacing marks, vowel
signs, circled letters) a letter. Swift's Unicode tables may be a version newer than Python's, so a
character added to Unicode recently can be classified differently; product titles almost never have one.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from typing import List, Sequence

__all__ = ["STOP_WORDS", "calibrated_threshold", "similarity", "stem", "tokens"]

#: Words dropped before comparing (compared after lower-casing, only for tokens of at most 4 characters).
STOP_WORDS = frozenset(
    "a an the and or of for with in on to by from at as is are be it its this that your you our new".split()
)

_SEPARATOR, _LETTER, _DIGIT = 0, 1, 2


def calibrated_threshold(embedding_threshold: float) -> float:
    """The lexical threshold used in place of an embedding cosine threshold (piecewise linear, clamped)."""
    points = [(0.5, 0.35), (0.7, 0.5), (0.8, 0.6)]
    e = embedding_threshold
    if e <= points[1][0]:
        value = points[0][1] + (e - points[0][0]) * (points[1][1] - points[0][1]) / (points[1][0] - points[0][0])
    else:
        value = points[1][1] + (e - points[1][0]) * (points[2][1] - points[1][1]) / (points[2][0] - points[1][0])
    return min(1.0, max(0.0, value))


def _kind(c: str) -> int:
    o = ord(c)
    if o < 0x80:
        if 0x61 <= o <= 0x7A or 0x41 <= o <= 0x5A:
            return _LETTER
        if 0x30 <= o <= 0x39:
            return _DIGIT
        return _SEPARATOR
    if unicodedata.numeric(c, None) is not None:
        return _DIGIT
    cat = unicodedata.category(c)
    if cat[0] == "L" or cat == "Nl" or cat == "Mc":
        return _LETTER
    if cat == "Mn" and "VOWEL SIGN" in unicodedata.name(c, ""):
        return _LETTER
    if 0x24B6 <= o <= 0x24E9 or 0x1F130 <= o <= 0x1F189:  # circled / squared Latin letters (Other_Alphabetic)
        return _LETTER
    return _SEPARATOR


def _lower(c: str) -> str:
    o = ord(c)
    if o < 0x80:
        return chr(o + 32) if 0x41 <= o <= 0x5A else c
    low = c.lower()
    return low[0] if low != c and low else c


def stem(word: str) -> str:
    """The light plural stemmer (only for words of 4+ letters)."""
    n = len(word)
    if n < 4 or not all(_kind(c) == _LETTER for c in word):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and not word.endswith("us") and not word.endswith("is"):
        return word[:-1]
    return word


def tokens(title: str) -> List[str]:
    """Steps 1 and 2: lower-cased pieces, stop words removed, stemmed, in order."""
    out: List[str] = []
    current: List[str] = []
    current_kind = _SEPARATOR

    def flush() -> None:
        if current:
            t = "".join(current)
            if not (len(t) <= 4 and t in STOP_WORDS):
                out.append(stem(t))
            current.clear()

    for c in title:
        k = _kind(c)
        if k == _SEPARATOR:
            flush()
        else:
            if k != current_kind:
                flush()
            current.append(_lower(c))
        current_kind = k
    flush()
    return out


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[key] for key, count in a.items() if key in b)
    if dot == 0:
        return 0.0
    norm_a = float(sum(c * c for c in a.values()))
    norm_b = float(sum(c * c for c in b.values()))
    return min(1.0, dot / math.sqrt(norm_a * norm_b))


def _trigrams(toks: Sequence[str]) -> Counter:
    if not toks:
        return Counter()
    joined = " " + " ".join(toks) + " "
    return Counter(joined[i : i + 3] for i in range(len(joined) - 2))


def similarity(a: str, b: str) -> float:
    """The similarity of two titles in [0, 1] (steps above)."""
    # Swift compares strings by canonical equivalence.
    if a == b or unicodedata.normalize("NFD", a) == unicodedata.normalize("NFD", b):
        return 1.0
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return (_cosine(Counter(ta), Counter(tb)) + _cosine(_trigrams(ta), _trigrams(tb))) / 2
