"""An invoice total in words, where invoices customarily carry it (India: rupees and paise in lakh and crore,
through num2words' ``en_IN``)."""

from __future__ import annotations

from vakit.core.money import from_minor

#: currency → num2words language whose words the invoice prints
WORDS_FOR = {"INR": "en_IN"}


def amount_in_words(minor: int, currency: str) -> str | None:
    """``1416050`` INR → ``"Fourteen Thousand, One Hundred And Sixty Rupees, Fifty Paise Only"``, ``100`` INR →
    ``"One Rupee Only"``; None for a currency whose invoices do not carry the amount in words."""
    lang = WORDS_FOR.get(currency)
    if lang is None:
        return None
    from num2words import num2words

    words = num2words(from_minor(minor, currency), lang=lang, to="currency", currency=currency)
    words = words.replace(", zero paise", "")  # a whole number of rupees
    return f"{words.title()} Only"
