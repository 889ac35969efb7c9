"""Words for a word cloud shown to a group, with personal data masked before anything is counted.

A cloud projected in a workshop or handed out afterwards must never print an e-mail address, a phone number or a
name someone typed into their answer. The masks are blanks rather than ``analysis.privacy``'s placeholders, so
"[E-Mail]" cannot itself become a frequent word when several people left an address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.privacy import GERMAN_PLACEHOLDERS, mask_personal_data
from analysis.terms import word_frequencies

BLANKS = dict.fromkeys(GERMAN_PLACEHOLDERS, " ")


def masked_word_frequencies(texts: Iterable[str], language: str, min_answers: int) -> dict[str, int]:
    """Word → occurrences over the masked texts, counting only words used in at least ``min_answers`` answers."""
    masked = (mask_personal_data(text, language, placeholders=BLANKS) for text in texts)
    return word_frequencies(masked, language, min_answers=min_answers)


def top_words(frequencies: Mapping[str, int], n: int) -> list[str]:
    """The ``n`` most frequent words, ties in alphabetical order (for a cloud's text alternative)."""
    return sorted(frequencies, key=lambda word: (-frequencies[word], word))[:n]
