"""Names of people as 196 police forces would record them, per nationality and script.

``draw_name`` gives a person a name drawn from their nationality's stocks of names (Faker's
locales, and hand-written pools for cultures Faker lacks: ``data/names_locales.csv`` maps every
member country to its stocks, ``data/names_pools.csv`` holds the pools), put together as the
culture does (``cultures.py``), in the original script with a common romanisation
(``romanise.py`` lists the scheme of each script). ``spelling_variants`` gives the other Latin
spellings that police elsewhere write for the same name (``variants.py``).
"""

from __future__ import annotations

from vigil.world.names.draw import BORROWED, draw_name
from vigil.world.names.model import FAMILY_FIRST, GIVEN_FIRST, PersonName
from vigil.world.names.variants import Nicknames, load_nicknames, spelling_variants

__all__ = [
    "BORROWED",
    "FAMILY_FIRST",
    "GIVEN_FIRST",
    "Nicknames",
    "PersonName",
    "draw_name",
    "load_nicknames",
    "spelling_variants",
]
