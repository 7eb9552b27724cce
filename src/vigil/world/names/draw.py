"""Drawing a person's name for a nationality."""

from __future__ import annotations

import random
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from vigil.errors import InvalidInput
from vigil.world.names.cultures import CULTURES, Stocks
from vigil.world.names.model import PersonName
from vigil.world.names.stock import stock
from vigil.world.names.tables import StockChoice, country_stocks

# Countries with no stock of their own, which borrow a neighbour's with the same naming habits
# (the Gulf states Saudi names, Central America Mexican ones, the Pacific New Zealand's...):
# names_locales.csv says whose. A generator's approximation, to be replaced when a stock exists.
_BORROWED = """
AFG AGO ARE ATG AUS BDI BHR BHS BIH BLR BLZ BOL BRB BTN BWA CAF CIV CMR COD COG COM CPV CRI CUB
CUW CYP DMA DOM ECU EGY FJI FSM GAB GNB GNQ GRD GTM GUY HND HTI IRQ JAM JOR KAZ KGZ KHM KIR KNA
KWT LAO LBN LBR LBY LCA LSO MAR MCO MDG MDV MHL MLT MNE MOZ MRT MUS MWI NAM NIC NRU OMN PAN PER
PHL PLW PNG PRY QAT RWA SDN SLB SLE SLV SMR SRB SSD STP SUR SWZ SXM SYR TCD TGO TJK TKM TLS TON
TTO TUN TUV UGA URY VAT VCT VEN VUT WSM YEM ZMB ZWE
"""
BORROWED = frozenset(_BORROWED.split())


def draw_name(rng: random.Random, nationality: str, sex: str) -> PersonName:
    """Draw a real-looking name for a person of ``nationality``.

    Args:
        rng: the generator to draw with; the same state gives the same name.
        nationality: an ISO 3166-1 alpha-3 code of a member country.
        sex: "M" or "F".

    Returns:
        The name in its original script and order, with its common romanisation.

    Raises:
        InvalidInput: the nationality has no stock of names, or the sex is neither M nor F.
    """
    if sex not in ("M", "F"):
        raise InvalidInput(f"sex must be M or F, not {sex!r}")
    choices, cum_weights = _choices(nationality)
    choice = choices[0]
    if len(choices) > 1:
        choice = choices[
            bisect_right(cum_weights, rng.random() * cum_weights[-1], 0, len(choices) - 1)
        ]
    stocks = Stocks(given=stock(choice.given), family=stock(choice.family))
    return CULTURES[choice.culture](rng, stocks, sex)


@cache
def _choices(nationality: str) -> tuple[tuple[StockChoice, ...], tuple[float, ...]]:
    choices = country_stocks().get(nationality)
    if choices is None:
        raise InvalidInput(f"no names for nationality {nationality!r}")
    return choices, tuple(accumulate(c.weight for c in choices))
