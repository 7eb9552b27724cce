"""Score screening candidates with OpenSanctions' nomenklatura logic-v2 matcher (a baseline).

nomenklatura needs PyICU built from source, which cannot share an environment with the
``pyicu-wheels`` Vigil uses, so it runs in an interpreter of its own:

    python3 -m venv /tmp/nk && /tmp/nk/bin/pip install nomenklatura
    vigil eval names --nomenklatura /tmp/nk/bin/python

Reads JSON Lines on standard input, one query per line:
``{"query": {"name", "birth_date", "sex", "nationality"}, "candidates": [{"id", "names",
"birth_date", "sex", "nationalities"}]}``, and writes ``[[id, score], ...]`` per line.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig

_GENDER = {"M": "male", "F": "female"}


def _person(entity_id: str, names: list[str], fields: dict[str, Any]) -> Any:
    entity = model.make_entity("Person")
    entity.id = entity_id
    for name in names:
        entity.add("name", name)
    if fields.get("birth_date"):
        entity.add("birthDate", fields["birth_date"])
    if fields.get("sex") in _GENDER:
        entity.add("gender", _GENDER[fields["sex"]])
    for code in fields.get("nationalities") or (
        [fields["nationality"]] if fields.get("nationality") else []
    ):
        entity.add("nationality", code, quiet=True)
    return entity


def main() -> None:
    algorithm = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()
    for number, line in enumerate(sys.stdin):
        job = json.loads(line)
        # nomenklatura caches its analysis of a name by entity id: each query needs its own.
        query = _person(f"query-{number}", [job["query"]["name"]], job["query"])
        scores = []
        for candidate in job["candidates"]:
            result = _person(candidate["id"], candidate["names"], candidate)
            scores.append([candidate["id"], algorithm.compare(query, result, config).score])
        sys.stdout.write(json.dumps(scores) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
