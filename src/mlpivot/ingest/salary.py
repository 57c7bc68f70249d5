"""The salary range a posting states, when it states one: "$150,000 - $190,000", "£70k–£90k",
"USD 120000 to 150000 per year", "from €60k".

Only figures tied to a currency are read, so years, team sizes and "401k" are not salaries.
A range given per hour, day or month is kept with its period and not turned into a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "₹": "INR"}
_CODES = ("USD", "GBP", "EUR", "CAD", "AUD", "INR", "CHF", "SGD", "NZD", "SEK", "PLN")
CURRENCY_COUNTRY = {
    "USD": "US",
    "GBP": "GB",
    "CAD": "CA",
    "AUD": "AU",
    "INR": "IN",
    "CHF": "CH",
    "SGD": "SG",
    "NZD": "NZ",
    "SEK": "SE",
    "PLN": "PL",
}
"""A currency that belongs to one country; the euro does not, so it names none."""

_AMOUNT = r"(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*([kK])?"
_CUR = r"(?:(?P<{n}sym>[$£€₹])|(?P<{n}code>" + "|".join(_CODES) + r")\s?)"
_RANGE = re.compile(
    r"(?<![\w.,])"
    + _CUR.format(n="a")
    + "?"
    + _AMOUNT.replace("(", "(?P<lo>", 1).replace("([kK])", "(?P<lok>[kK])")
    + r"(?:\s*(?:-|–|—|to)\s*"
    + _CUR.format(n="b")
    + "?"
    + _AMOUNT.replace("(", "(?P<hi>", 1).replace("([kK])", "(?P<hik>[kK])")
    + r")?"
    + r"(?:\s*(?P<code2>"
    + "|".join(_CODES)
    + r"))?"
    + r"(?P<period>\s*(?:per|/|an|a)\s*(?:year|yr|annum|hour|hr|day|month|mo)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SalaryRange:
    low: float
    high: float
    currency: str
    period: str
    """year, hour, day or month"""
    text: str

    @property
    def country(self) -> str | None:
        return CURRENCY_COUNTRY.get(self.currency)


def _amount(digits: str, k: str | None) -> float:
    value = float(re.sub(r"[,.\s](?=\d{3}\b)", "", digits).replace(",", ""))
    return value * 1000 if k else value


def _period(raw: str | None) -> str:
    word = (raw or "").lower()
    for name, keys in (("hour", ("hour", "hr")), ("day", ("day",)), ("month", ("month", "mo"))):
        if any(k in word for k in keys):
            return name
    return "year"


def parse_salary(text: str) -> SalaryRange | None:
    """The first plausible salary range in `text`, or None when the posting states none."""
    for match in _RANGE.finditer(text):
        currency = (
            _SYMBOLS.get(match["asym"] or "")
            or (match["acode"] or "").upper()
            or (match["code2"] or "").upper()
        )
        if not currency:
            continue
        low = _amount(match["lo"], match["lok"])
        high = _amount(match["hi"], match["hik"] or match["lok"]) if match["hi"] else low
        period = _period(match["period"])
        if period == "year" and low < 1000:
            continue  # "$5 credits", "$50 stipend": not a yearly salary
        if high < low:
            low, high = high, low
        return SalaryRange(low, high, currency, period, match.group(0).strip())
    return None
