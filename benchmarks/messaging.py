"""Networks and messaging at scale: full-text search over generated messages and intelligence
reports, and the sustained send rate over HTTP with the alerts each message makes.

Per backend (SQLite, and PostgreSQL in a database of its own), measures:

- load: ``--items`` messages and reports (70 % messages in threads of 7, 30 % reports) in
  English, French, Spanish and Arabic, built from templates with real route hubs and border
  crossings and Faker's names and towns, with their envelopes (audience ``all``, ``only`` some
  members, or one of 12 networks). Written straight through the tables in batched
  transactions (rows shaped as ``records.store.rows_of`` and ``threads.send`` shape them; the
  search rows through ``fulltext.index_texts``): the point is to measure search, and the services
  write one row at a time. On PostgreSQL the GIN index is dropped for the load and rebuilt
  after it (timed), then ``VACUUM ANALYZE`` (what autovacuum does to a table that only grows);
- search in process, p50/p99 per query class (one, two and three words; very common, common,
  rare and mixed words, picked from generated documents so they match), from 6 members in
  turn: ``reports.search`` (the service behind ``GET /api/v1/intel/reports?q=``, with its
  access filter and durable audit entry), ``threads.search`` (behind
  ``GET /api/v1/messages?q=``), ``fulltext.search`` for messages and for reports, asking
  for a page (51 ids) as the services do, and the full-text query ranking every match,
  without the access filter (what ranking alone costs);
- baseline beside it: the same access-filtered query with ``LIKE '%word%'`` per word instead
  of the index (no ranking), on the first ``--baseline-queries`` queries of each class;
- sending over HTTP: ``vigil serve`` (as production starts it) on the loaded database, a
  network of 4 members, ``--concurrency`` senders each posting to a thread of its own
  (``POST /api/v1/messages/threads/{id}/messages``) for ``--seconds``: messages/s, p50/p99,
  and the ``messages.sent`` alerts (3 per message) counted in ``alerts`` until all are there.

Reproduce (prints JSON lines; 1,000,000 items on both backends took 13.5 minutes on 2 quiet
cores: loads of 1.6 and 3.8 minutes, search 3 minutes each, sending 2 minutes; 50 minutes on
shared cores):

    .venv/bin/python benchmarks/messaging.py --items 1000000 --backend both
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from audit import PG_ADMIN_URL, emit, machine
from documents import VIGIL, _cpu_seconds, _wait_for, exchange
from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.access.roles import Role
from vigil.core.pagination import PageRequest
from vigil.messaging import fulltext, networks, reports, store, threads
from vigil.messaging.models import MessageIn, NetworkIn, ThreadIn
from vigil.records import store as records_store
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.tables import (
    alerts,
    intel_reports,
    message_threads,
    messages,
    record_audience,
    records,
)
from vigil.storage.uow import UnitOfWork

PG_DB = "vigil_bench_messaging"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
BLOCK = 10  # items per thread block: 7 messages in one thread, 3 reports
CHUNK = 10_000  # items per load transaction
SEARCHERS = ("FRA", "ESP", "ITA", "NGA", "LBY", "MAR")
SENDERS = ("ESP", "ITA", "LBY", "NGA")

# ---- the corpus --------------------------------------------------------------------------------

LANGUAGES = ("en", "fr", "es", "ar")
LANGUAGE_WEIGHTS = (35, 25, 20, 20)
OWNERS = {
    "en": ("GBR", "USA", "NGA", "CAN", "IRL"),
    "fr": ("FRA", "BEL", "MAR", "SEN", "MLI", "NER", "TCD", "TUN"),
    "es": ("ESP", "MEX", "COL", "ARG", "PER"),
    "ar": ("MAR", "DZA", "TUN", "LBY", "EGY", "JOR", "LBN", "IRQ", "SDN"),
}
ALL_OWNERS = sorted({m for ms in OWNERS.values() for m in ms} | set(SEARCHERS) | {"ITA"})
# Route hubs: English, French, Spanish, Arabic, and the country.
HUBS = [
    ("Agadez", "Agadez", "Agadez", "أغاديز", "NER"), ("Sebha", "Sebha", "Sebha", "سبها", "LBY"),
    ("Zuwara", "Zouara", "Zuara", "زوارة", "LBY"),
    ("Tripoli", "Tripoli", "Trípoli", "طرابلس", "LBY"),
    ("Benghazi", "Benghazi", "Bengasi", "بنغازي", "LBY"),
    ("Lampedusa", "Lampedusa", "Lampedusa", "لامبيدوزا", "ITA"),
    ("Kano", "Kano", "Kano", "كانو", "NGA"), ("Lagos", "Lagos", "Lagos", "لاغوس", "NGA"),
    ("Niamey", "Niamey", "Niamey", "نيامي", "NER"), ("Bamako", "Bamako", "Bamako", "باماكو", "MLI"),
    ("Gao", "Gao", "Gao", "غاو", "MLI"),
    ("Tamanrasset", "Tamanrasset", "Tamanrasset", "تمنراست", "DZA"),
    ("Oran", "Oran", "Orán", "وهران", "DZA"), ("Tangier", "Tanger", "Tánger", "طنجة", "MAR"),
    ("Nador", "Nador", "Nador", "الناظور", "MAR"), ("Ceuta", "Ceuta", "Ceuta", "سبتة", "ESP"),
    ("Melilla", "Melilla", "Melilla", "مليلية", "ESP"),
    ("Algeciras", "Algésiras", "Algeciras", "الجزيرة الخضراء", "ESP"),
    ("Almeria", "Almería", "Almería", "ألميريا", "ESP"),
    ("Khartoum", "Khartoum", "Jartum", "الخرطوم", "SDN"),
    ("Cairo", "Le Caire", "El Cairo", "القاهرة", "EGY"),
    ("Alexandria", "Alexandrie", "Alejandría", "الإسكندرية", "EGY"),
    ("Sfax", "Sfax", "Sfax", "صفاقس", "TUN"), ("Tunis", "Tunis", "Túnez", "تونس", "TUN"),
    ("Amman", "Amman", "Amán", "عمان", "JOR"), ("Beirut", "Beyrouth", "Beirut", "بيروت", "LBN"),
    ("Marseille", "Marseille", "Marsella", "مرسيليا", "FRA"),
    ("Calais", "Calais", "Calais", "كاليه", "FRA"), ("Paris", "Paris", "París", "باريس", "FRA"),
    ("Dover", "Douvres", "Dover", "دوفر", "GBR"), ("London", "Londres", "Londres", "لندن", "GBR"),
    ("Rotterdam", "Rotterdam", "Róterdam", "روتردام", "NLD"),
    ("Antwerp", "Anvers", "Amberes", "أنتويرب", "BEL"),
    ("Catania", "Catane", "Catania", "كاتانيا", "ITA"),
    ("Milan", "Milan", "Milán", "ميلانو", "ITA"),
    ("Dakar", "Dakar", "Dakar", "داكار", "SEN"), ("Bogota", "Bogota", "Bogotá", "بوغوتا", "COL"),
    ("Cartagena", "Carthagène", "Cartagena", "قرطاجنة", "COL"),
    ("Tijuana", "Tijuana", "Tijuana", "تيخوانا", "MEX"),
    ("Guayaquil", "Guayaquil", "Guayaquil", "غواياكيل", "ECU"),
    ("Istanbul", "Istanbul", "Estambul", "إسطنبول", "TUR"),
]  # fmt: skip
CROSSINGS = [
    ("Jibia", "جيبيا"), ("Assamaka", "أساماكا"), ("Ras Ajdir", "رأس اجدير"),
    ("Bab Sebta", "باب سبتة"), ("Beni Ensar", "بني أنصار"), ("Salloum", "السلوم"),
    ("Arkit", "أرقين"), ("Tinzaouaten", "تين زواتين"), ("Wadi Halfa", "وادي حلفا"),
    ("Madama", "مدامة"), ("Toummo", "التوم"), ("Dirkou", "ديركو"),
]  # fmt: skip
CRIMES = ("migrant_smuggling", "trafficking_sexual_exploitation", "document_fraud", "drugs",
          "money_laundering", "forced_labour")  # fmt: skip
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "crime": ("Migrant smuggling", "Trafficking in human beings", "Document fraud",
                  "Drug trafficking", "Money laundering", "Forced labour"),
        "vehicle": ("lorry", "truck", "van", "minibus", "pick-up", "fishing boat",
                    "rubber dinghy", "container ship", "private car", "coach"),
        "document": ("passports", "identity cards", "Schengen visas", "residence permits",
                     "birth certificates"),
        "drug": ("cocaine", "heroin", "cannabis resin", "methamphetamine", "captagon",
                 "tramadol"),
        "job": ("waitresses", "farm workers", "domestic workers", "builders", "dancers",
                "care workers"),
    },
    "fr": {
        "crime": ("Trafic de migrants", "Traite des êtres humains", "Fraude documentaire",
                  "Trafic de stupéfiants", "Blanchiment d'argent", "Travail forcé"),
        "vehicle": ("camion", "fourgon", "minibus", "pick-up", "bateau de pêche",
                    "canot pneumatique", "porte-conteneurs", "véhicule particulier", "autocar"),
        "document": ("passeports", "cartes d'identité", "visas Schengen", "titres de séjour",
                     "actes de naissance"),
        "drug": ("cocaïne", "héroïne", "résine de cannabis", "méthamphétamine", "captagon",
                 "tramadol"),
        "job": ("serveuses", "ouvriers agricoles", "employées de maison", "maçons",
                "danseuses", "aides-soignantes"),
    },
    "es": {
        "crime": ("Tráfico de migrantes", "Trata de seres humanos", "Fraude documental",
                  "Tráfico de drogas", "Blanqueo de capitales", "Trabajo forzoso"),
        "vehicle": ("camión", "furgoneta", "microbús", "pick-up", "barco pesquero",
                    "lancha neumática", "portacontenedores", "coche particular", "autocar"),
        "document": ("pasaportes", "documentos de identidad", "visados Schengen",
                     "permisos de residencia", "partidas de nacimiento"),
        "drug": ("cocaína", "heroína", "hachís", "metanfetamina", "captagon", "tramadol"),
        "job": ("camareras", "jornaleros", "empleadas domésticas", "albañiles", "bailarinas",
                "cuidadoras"),
    },
    "ar": {
        "crime": ("تهريب المهاجرين", "الاتجار بالبشر", "تزوير الوثائق", "الاتجار بالمخدرات",
                  "غسل الأموال", "العمل القسري"),
        "vehicle": ("شاحنة", "شاحنة صغيرة", "حافلة صغيرة", "سيارة بيك أب", "قارب صيد",
                    "زورق مطاطي", "سفينة حاويات", "سيارة خاصة", "حافلة"),
        "document": ("جوازات سفر", "بطاقات هوية", "تأشيرات شنغن", "تصاريح إقامة",
                     "شهادات ميلاد"),
        "drug": ("الكوكايين", "الهيروين", "راتنج القنب", "الميثامفيتامين", "الكبتاغون",
                 "الترامادول"),
        "job": ("نادلات", "عمال زراعيين", "عاملات منازل", "عمال بناء", "راقصات", "ممرضات"),
    },
}  # fmt: skip
SENTENCES = {
    "en": (
        "{suspect} was seen in {city} with {n} migrants waiting for a boat to {hub2}.",
        "Smugglers move groups from {hub} to {hub2} by {vehicle}, crossing at {crossing} at night.",
        "Payment by hawala through a shop in {hub}; couriers carry the cash to {hub2}.",
        "Forged {document} found on {n} passengers at {hub} airport; the printer is "
        "believed to be in {city}.",
        "Victims report debt bondage and confiscated passports on a farm near {city}.",
        "Recruitment through online ads offering work as {job} in {hub2}.",
        "Please check {suspect}, born {year}, phone {phone}, against your records.",
        "Seizure of {drug}: {n} kg hidden in a {vehicle} registered {plate}, route {hub} "
        "to {hub2}.",
        "Reply: our checks on {suspect} found no record; the vehicle {plate} is known "
        "for {drug} trafficking.",
        "The network uses safe houses in {city} and {hub}; lookouts watch the checkpoint "
        "at {crossing}.",
    ),
    "fr": (
        "{suspect} a été vu à {city} avec {n} migrants attendant un bateau pour {hub2}.",
        "Les passeurs déplacent des groupes de {hub} vers {hub2} en {vehicle}, en "
        "passant par {crossing} la nuit.",
        "Paiement par hawala dans une boutique de {hub} ; des convoyeurs transportent "
        "l'argent liquide vers {hub2}.",
        "Faux {document} trouvés sur {n} passagers à l'aéroport de {hub} ; l'imprimeur "
        "serait à {city}.",
        "Les victimes signalent une servitude pour dettes et des passeports confisqués "
        "dans une ferme près de {city}.",
        "Recrutement par annonces en ligne proposant un emploi de {job} à {hub2}.",
        "Merci de vérifier {suspect}, né en {year}, téléphone {phone}, dans vos fichiers.",
        "Saisie de {drug} : {n} kg cachés dans un {vehicle} immatriculé {plate}, "
        "itinéraire {hub} vers {hub2}.",
        "Réponse : nos vérifications sur {suspect} n'ont rien donné ; le véhicule "
        "{plate} est connu pour le trafic de {drug}.",
        "Le réseau utilise des planques à {city} et à {hub} ; des guetteurs surveillent "
        "le poste frontière de {crossing}.",
    ),
    "es": (
        "{suspect} fue visto en {city} con {n} migrantes esperando una embarcación hacia {hub2}.",
        "Los traficantes trasladan grupos de {hub} a {hub2} en {vehicle}, cruzando por "
        "{crossing} de noche.",
        "Pago mediante hawala en una tienda de {hub}; los correos llevan el dinero en "
        "efectivo a {hub2}.",
        "Se hallaron {document} falsos en {n} pasajeros en el aeropuerto de {hub}; la "
        "imprenta estaría en {city}.",
        "Las víctimas denuncian servidumbre por deudas y pasaportes retenidos en una "
        "finca cerca de {city}.",
        "Captación mediante anuncios en internet que ofrecen trabajo de {job} en {hub2}.",
        "Por favor, verifiquen a {suspect}, nacido en {year}, teléfono {phone}, en sus registros.",
        "Incautación de {drug}: {n} kg ocultos en un {vehicle} con matrícula {plate}, "
        "ruta {hub} a {hub2}.",
        "Respuesta: nuestras comprobaciones sobre {suspect} no arrojaron registros; el "
        "vehículo {plate} es conocido por tráfico de {drug}.",
        "La red utiliza pisos francos en {city} y en {hub}; vigilantes observan el "
        "puesto fronterizo de {crossing}.",
    ),
    "ar": (
        "شوهد {suspect} في {city} مع {n} مهاجرين ينتظرون قاربا إلى {hub2}.",
        "ينقل المهربون مجموعات من {hub} إلى {hub2} بواسطة {vehicle} ويعبرون عند {crossing} ليلا.",
        "الدفع عن طريق الحوالة عبر محل في {hub}؛ ينقل السعاة الأموال النقدية إلى {hub2}.",
        "عثر على {document} مزورة مع {n} مسافرين في مطار {hub}؛ ويعتقد أن المطبعة في {city}.",
        "تفيد الضحايا بعبودية الدين ومصادرة جوازات السفر في مزرعة قرب {city}.",
        "تجنيد عبر إعلانات على الإنترنت تستهدف {job} للعمل في {hub2}.",
        "يرجى التحقق من {suspect} مواليد {year} الهاتف {phone} في سجلاتكم.",
        "ضبط {drug}: {n} كغ مخبأة في {vehicle} تحمل لوحة {plate} على الطريق من {hub} إلى {hub2}.",
        "رد: لم تسفر عمليات التحقق بشأن {suspect} عن أي سجل؛ المركبة {plate} معروفة بتهريب {drug}.",
        "تستخدم الشبكة منازل آمنة في {city} وكذلك في {hub}؛ ويراقب مراقبون نقطة التفتيش "
        "عند {crossing}.",
    ),
}  # fmt: skip
DIALLING = ("33", "34", "39", "218", "227", "234", "212", "216", "20", "962")
_POOLS: dict[str, dict[str, list[str]]] = {}


def _pools(language: str) -> dict[str, list[str]]:
    """Faker's people and towns for a language, drawn once per process (the same each time)."""
    if language not in _POOLS:
        from faker import Faker

        fake = Faker({"en": "en_GB", "fr": "fr_FR", "es": "es_MX", "ar": "ar_AA"}[language])
        fake.seed_instance(LANGUAGES.index(language) + 1)
        if language == "ar":  # ar_AA's towns are half English: a district named after a family
            towns = [f"حي {fake.last_name()}" for _ in range(3000)]
        else:
            towns = [fake.city() for _ in range(3000)]
        _POOLS[language] = {"suspect": [fake.name() for _ in range(20_000)], "city": towns}
    return _POOLS[language]


def _text(rng: random.Random, language: str) -> tuple[str, list[str], str]:
    """A message or report body, the countries its hubs are in, and a subject."""
    pools, words = _pools(language), WORDS[language]
    column = LANGUAGES.index(language)
    hub, hub2 = rng.sample(HUBS, 2)
    crossing = rng.choice(CROSSINGS)[1 if language == "ar" else 0]
    letters = "ABCDEFGHJKLMNPRSTVWXYZ"
    slots = {
        "suspect": rng.choice(pools["suspect"]), "city": rng.choice(pools["city"]),
        "hub": hub[column], "hub2": hub2[column], "crossing": crossing, "n": rng.randint(2, 90),
        "vehicle": rng.choice(words["vehicle"]), "document": rng.choice(words["document"]),
        "drug": rng.choice(words["drug"]), "job": rng.choice(words["job"]),
        "year": rng.randint(1960, 2004),
        "phone": f"+{rng.choice(DIALLING)} {rng.randrange(10**8, 10**9)}",
        "plate": "{}{}-{}-{}{}".format(*rng.sample(letters, 2), rng.randrange(100, 1000),
                                       *rng.sample(letters, 2)),
    }  # fmt: skip
    body = " ".join(s.format(**slots) for s in rng.sample(SENTENCES[language], rng.randint(2, 5)))
    crime = rng.randrange(len(CRIMES))
    subject = f"{words['crime'][crime]}: {hub[column]} - {hub2[column]}"
    return body, sorted({hub[4], hub2[4]}), subject


def _id(i: int) -> str:
    """Time-ordered like the UUIDv7 ids Vigil makes, and the same on every run."""
    return f"{i >> 16:08x}-{i & 0xFFFF:04x}-7000-8000-{i:012x}"


NETWORKS = [(_id(10**12 + n), f"Working group {n}") for n in range(12)]


def _network_members(n: int) -> list[str]:
    rng = random.Random(1000 + n)
    return sorted(rng.sample(ALL_OWNERS, rng.randint(4, 8)))


def _audience(rng: random.Random, owner: str) -> tuple[str, str, list[str]]:
    """(audience kind, owner, codes): 30 % all, 40 % only some members, 30 % one network."""
    draw = rng.random()
    if draw < 0.3:
        return "all", owner, []
    if draw < 0.7:
        return "only", owner, sorted({owner, *rng.sample(ALL_OWNERS, rng.randint(1, 3))})
    n = rng.randrange(len(NETWORKS))
    return "networks", rng.choice(_network_members(n)), [NETWORKS[n][0]]


def chunk_rows(chunk: int, items: int, seed: int) -> dict[str, list[Any]]:
    """The rows of items [chunk * CHUNK, ...): each block of 10 is a thread of 7 messages (one
    audience, one language) and 3 reports (each its own audience)."""
    rng = random.Random(seed * 1_000_003 + chunk)
    rows: dict[str, list[Any]] = {name: [] for name in
                                  ("records", "audience", "threads", "messages", "reports",
                                   "search")}  # fmt: skip
    start = datetime(2025, 1, 1, tzinfo=UTC)
    first = chunk * CHUNK // BLOCK
    for block in range(first, min(items, (chunk + 1) * CHUNK) // BLOCK):
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        at = start + timedelta(seconds=block * 60)
        thread_id = _id(block * (BLOCK + 1))
        kind, owner, codes = _audience(rng, rng.choice(OWNERS[language]))
        _, _, subject = _text(rng, language)
        _record(rows, thread_id, "thread", owner, subject, at, kind, codes)
        network = codes[0] if kind == "networks" else None
        rows["threads"].append({"id": thread_id, "subject": subject, "last_at": at,
                                "network_id": network})  # fmt: skip
        for k in range(1, BLOCK + 1):
            record_id = _id(block * (BLOCK + 1) + k)
            when = at + timedelta(seconds=k)
            body, countries, title = _text(rng, language)
            if k <= 7:
                sender = owner if kind != "only" else rng.choice(codes)
                _record(rows, record_id, "message", sender, f"{subject}: reply", when, kind, codes)
                rows["messages"].append({
                    "id": record_id, "thread_id": thread_id, "type": "spontaneous_information",
                    "fields": {}, "text": body, "language": language, "sent_at": when})  # fmt: skip
                _searchable(rows, record_id, "message", f"{subject}\n{body}")
                continue
            r_kind, r_owner, r_codes = _audience(rng, rng.choice(OWNERS[language]))
            _record(rows, record_id, "intel_report", r_owner, title, when, r_kind, r_codes)
            rows["reports"].append({
                "id": record_id, "kind": rng.choice(("threat", "trend", "modus_operandi")),
                "crime_areas": [rng.choice(CRIMES)], "countries": countries, "route": [],
                "period_from": None, "period_to": None, "indicators": ["hawala"],
                "linked": {"persons": [], "documents": [], "notices": []}, "text": body,
                "language": language, "published_at": when})  # fmt: skip
            _searchable(rows, record_id, "intel_report", f"{title}\n{' '.join(countries)}\n{body}")
    return rows


def _record(rows: dict[str, list[Any]], record_id: str, kind: str, owner: str, title: str,
            at: datetime, audience: str, codes: list[str]) -> None:  # fmt: skip
    rows["records"].append({
        "id": record_id, "kind": kind, "owner": owner, "created_by": f"user:bench-{owner}",
        "created_at": at, "updated_at": at, "title": title[:300], "audience_kind": audience,
        "handling": "H0", "review_by": date(2031, 1, 1)})  # fmt: skip
    rows["audience"].extend({"record_id": record_id, "code": c} for c in codes)


def _searchable(rows: dict[str, list[Any]], record_id: str, kind: str, body: str) -> None:
    rows["search"].append((record_id, kind, body))


# ---- loading -------------------------------------------------------------------------------


def fresh_database(backend: str, sqlite_path: Path) -> str:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm", ".writer-lock"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{sqlite_path}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DB}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{PG_DB}"'))
    admin.dispose()
    return PG_URL


def load(url: str, items: int, seed: int) -> None:
    """Migrate, add the networks, then write the corpus chunk by chunk (generated in a child
    process while the last chunk is written)."""
    db = open_database(url, serving=False)
    upgrade(db)
    postgres = db.dialect == "postgresql"
    with db.engine.begin() as conn:
        for network_id, name in NETWORKS:
            members = _network_members(NETWORKS.index((network_id, name)))
            store.insert_network(conn, {"id": network_id, "name": name, "kind": "operational",
                                        "description": None, "created_by": "user:bench",
                                        "created_at": datetime.now(UTC)}, members)  # fmt: skip
        if postgres:
            conn.exec_driver_sql("DROP INDEX ix_search_documents_tsv")
    started = time.perf_counter()
    chunks = range((items + CHUNK - 1) // CHUNK)
    with ProcessPoolExecutor(1) as generator:
        pending: list[Future[dict[str, list[Any]]]] = []
        for chunk in chunks:
            pending.append(generator.submit(chunk_rows, chunk, items, seed))
            if len(pending) >= 3:
                _write(db, pending.pop(0).result())
        for future in pending:
            _write(db, future.result())
    loaded = time.perf_counter() - started
    index_seconds = 0.0
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        if postgres:
            before = time.perf_counter()
            conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")
            conn.exec_driver_sql(
                "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)"
            )
            index_seconds = time.perf_counter() - before
            # What autovacuum does to a table that only grows (PostgreSQL 13 on): statistics,
            # and the visibility map that index-only scans rely on.
            conn.exec_driver_sql("VACUUM ANALYZE")
        size = conn.exec_driver_sql(
            "SELECT pg_database_size(current_database())"
            if postgres
            else "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        ).scalar()
    total = time.perf_counter() - started
    emit({"load": {"backend": db.dialect, "items": items, "seconds": round(total, 1),
                   "items_per_s": round(items / loaded),
                   "gin_index_seconds": round(index_seconds, 1),
                   "database_gib": round(int(size or 0) / 2**30, 2)}})  # fmt: skip
    db.close()


def _write(db: Database, rows: dict[str, list[Any]]) -> None:
    with db.engine.connect().execution_options(vigil_write=True) as conn, conn.begin():
        for table, name in ((records, "records"), (record_audience, "audience"),
                            (message_threads, "threads"), (messages, "messages"),
                            (intel_reports, "reports")):  # fmt: skip
            if rows[name]:
                conn.execute(table.insert(), rows[name])
        fulltext.index_texts(conn, rows["search"])


# ---- queries ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
FUNCTION_WORDS = frozenset(
    [
        "found",
        "through",
        "with",
        "from",
        "your",
        "please",
        "near",
        "were",
        "dans",
        "pour",
        "vers",
        "avec",
        "près",
        "sobre",
        "hacia",
        "mediante",
        "nuestras",
        "cerca",
        "para",
    ]
)
CLASSES = ("1 very common", "1 common", "1 rare", "2 common", "2 mixed", "2 rare", "3 common",
           "3 mixed", "3 rare")  # fmt: skip


def make_queries(items: int, seed: int, count: int) -> dict[str, list[str]]:
    """Queries of each class from documents of a sample of the corpus (so they match), by the
    share of the sample's documents holding each word: very common >= 10 %, common >= 1 %,
    rare <= 0.02 % (for two and three words: one rare, the others under 0.5 %); mixed is
    common words and one rare. Function words ("through", "dans") are left out."""
    docs: list[list[str]] = []
    for chunk in range(0, (items + CHUNK - 1) // CHUNK, max(1, items // CHUNK // 5))[:5]:
        bodies = [body for _, _, body in chunk_rows(chunk, items, seed)["search"]]
        docs += [sorted(set(_WORD.findall(body.lower()))) for body in bodies]
    share = {w: n / len(docs) for w, n in Counter(w for d in docs for w in d).items()}

    def words(doc: list[str], low: float, high: float) -> list[str]:
        return [w for w in doc if low <= share[w] <= high and len(w) > 3
                and not w.isdigit() and w not in FUNCTION_WORDS]  # fmt: skip

    bands = {"very common": (0.10, 1.0), "common": (0.01, 1.0), "rare": (0.0, 0.005),
             "mixed": (0.01, 1.0)}  # fmt: skip
    found: dict[str, list[str]] = {c: [] for c in CLASSES}
    for name in CLASSES:
        rng = random.Random(f"{seed} {name}")  # the first n queries whatever the count
        n, band = int(name[0]), name[2:]
        for _ in range(count * 1000):
            if len(found[name]) == count:
                break
            doc = rng.choice(docs)
            rares = words(doc, 0.0, 0.0002)
            if band in ("rare", "mixed"):
                if not rares:
                    continue
                first = rng.choice(rares)
                others = [w for w in words(doc, *bands[band]) if w != first]
                if len(others) >= n - 1:
                    found[name].append(" ".join([*rng.sample(others, n - 1), first]))
            elif len(picks := words(doc, *bands[band])) >= n:
                found[name].append(" ".join(rng.sample(picks, n)))
    return found


# ---- search -------------------------------------------------------------------------------


def searchers(db: Database) -> list[Actor]:
    made = []
    for member in SEARCHERS:
        with UnitOfWork(db, write=True) as uow:
            user = access.add_user(uow, actor=operator("bench"), member=member, role=Role.ANALYST,
                                   name=f"analyst {member}")  # fmt: skip
        with UnitOfWork(db, write=False) as uow:
            made.append(access.authenticate_token(uow, user.token))
    return made


def search(url: str, queries: dict[str, list[str]], baseline_count: int) -> None:
    emit({"warm": {"url": url, "gib_read": round(_warm(url) / 2**30, 2)}})
    db = open_database(url, serving=True)
    actors = searchers(db)
    backend = db.dialect

    def service(q: str, actor: Actor) -> int:
        with UnitOfWork(db, write=False) as uow:
            return len(reports.search(uow, actor=actor, page=PageRequest(), q=q).items)

    def messages_service(q: str, actor: Actor) -> int:
        with UnitOfWork(db, write=False) as uow:
            return len(threads.search(uow, actor=actor, q=q, page=PageRequest()).items)

    def by_store(kind: str) -> Callable[[str, Actor], int]:
        def run(q: str, actor: Actor) -> int:
            with db.engine.connect() as conn:
                visible = records_store.visible_clause(actor)
                return len(fulltext.search(conn, q, visible, kinds=[kind], limit=51))

        return run

    paths = {"reports.search service": service, "threads.search service": messages_service,
             "fulltext.search messages": by_store("message"),
             "fulltext.search reports": by_store("intel_report"),
             "ranked full-text only": lambda q, _a: _ranked_only(db, q)}  # fmt: skip
    for name in CLASSES:
        qs = queries[name]
        for q in qs[:5]:  # warm the caches with a few of the class's queries
            service(q, actors[0])
        with db.engine.connect() as conn:
            matches = [_matches(conn, q) for q in qs[:20]]
        for path, call in paths.items():
            spent, results = _timed(call, qs, actors)
            slowest = max(range(len(qs)), key=spent.__getitem__)
            emit({"search": {"backend": backend, "class": name, "path": path, "queries": len(qs),
                             **_percentiles(spent), "max_ms": round(spent[slowest] * 1e3, 1),
                             "slowest": [qs[slowest], actors[slowest % len(actors)].member],
                             "median_results": statistics.median(results),
                             "median_matches": statistics.median(matches)}})  # fmt: skip
        if baseline_count:
            sample = qs[:baseline_count]
            indexed, _ = _timed(by_store("intel_report"), sample, actors)
            like, hits = _timed(lambda q, a: _like(db, q, a), sample, actors)
            emit({"baseline": {"backend": backend, "class": name, "queries": len(sample),
                               "like_scan": _percentiles(like), "index": _percentiles(indexed),
                               "ratio_p50": round(statistics.median(like)
                                                  / statistics.median(indexed), 1),
                               "median_like_results": statistics.median(hits)}})  # fmt: skip
    db.close()


def _warm(url: str) -> int:
    """Read the whole store once, as a server that has been running holds it in memory, and
    say how many bytes that was. On the machine of BENCHMARKS.md the store's pages did not
    stay in the page cache, memory free or not: queries then read pages from disk, and took
    up to a second; with the store read first, the same queries took at most 150 to 230 ms."""
    if url.startswith("sqlite"):
        with open(url.removeprefix("sqlite:///"), "rb") as store:
            return sum(len(chunk) for chunk in iter(lambda: store.read(1 << 24), b""))
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        blocks = conn.exec_driver_sql(  # every table, index and TOAST table of the store
            "SELECT sum(pg_prewarm(oid, 'read')) FROM pg_class "
            "WHERE relkind IN ('r', 'i', 't') AND relpersistence = 'p' AND oid >= 16384"
        ).scalar()
        block_size = int(conn.exec_driver_sql("SHOW block_size").scalar_one())
    engine.dispose()
    return int(blocks or 0) * block_size


def _timed(call: Callable[[str, Actor], int], qs: list[str],
           actors: list[Actor]) -> tuple[list[float], list[int]]:  # fmt: skip
    spent, results = [], []
    for i, q in enumerate(qs):
        started = time.perf_counter()
        results.append(call(q, actors[i % len(actors)]))
        spent.append(time.perf_counter() - started)
    return spent, results


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1e3, 1), "p99_ms": round(p99 * 1e3, 1)}


def _ranked_only(db: Database, q: str) -> int:
    """Every match ranked, without access: what ranking alone costs."""
    words = " ".join(_WORD.findall(q.lower()))
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            sql = ("SELECT record_id FROM search_documents WHERE tsv @@ plainto_tsquery('simple', "
                   "%(q)s) ORDER BY ts_rank(tsv, plainto_tsquery('simple', %(q)s)) DESC "
                   "LIMIT 500")  # fmt: skip
            return len(conn.exec_driver_sql(sql, {"q": words}).all())
        match = " ".join(f'"{w}"' for w in words.split())
        sql = "SELECT record_id FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT 2600"
        return len(conn.exec_driver_sql(sql, (match,)).all())


def _matches(conn: sa.Connection, q: str) -> int:
    words = " ".join(_WORD.findall(q.lower()))
    if conn.dialect.name == "postgresql":
        sql = "SELECT count(*) FROM search_documents WHERE tsv @@ plainto_tsquery('simple', %(q)s)"
        return int(conn.exec_driver_sql(sql, {"q": words}).scalar() or 0)
    match = " ".join(f'"{w}"' for w in words.split())
    sql = "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?"
    return int(conn.exec_driver_sql(sql, (match,)).scalar() or 0)


def _like(db: Database, q: str, actor: Actor) -> int:
    """No index: every word as ``LIKE '%word%'`` (case-blind: ILIKE on PostgreSQL) over the
    reports' text, with the same access filter, the first 500 found (nothing to rank by)."""
    body = intel_reports.c.text
    words = _WORD.findall(q.lower())
    like = [body.ilike(f"%{w}%") if db.dialect == "postgresql" else body.like(f"%{w}%")
            for w in words]  # fmt: skip
    query = (
        sa.select(intel_reports.c.id)
        .join(records, records.c.id == intel_reports.c.id)
        .where(records_store.visible_clause(actor), *like)
        .limit(500)
    )
    with db.engine.connect() as conn:
        return len(conn.execute(query).all())


# ---- sending over HTTP ------------------------------------------------------------------------


def sending(url: str, workers: int, concurrency: int, seconds: float, seed: int) -> None:
    """A network of 4 members, one thread per sender, then ``vigil serve`` and the senders."""
    db = open_database(url, serving=False)
    tokens, actors = {}, {}
    for member in SENDERS:
        with UnitOfWork(db, write=True) as uow:
            user = access.add_user(uow, actor=operator("bench"), member=member, role=Role.NCB,
                                   name=f"officer {member}")  # fmt: skip
        tokens[member] = user.token
    with UnitOfWork(db, write=False) as uow:
        first = access.authenticate_token(uow, tokens[SENDERS[0]])
    with UnitOfWork(db, write=True) as uow:
        network = networks.create(uow, actor=first, network_in=NetworkIn(
            name=f"Send benchmark {time.time_ns()}", members=list(SENDERS[1:])))  # fmt: skip
    for member in SENDERS:  # tokens carry their member's networks from their next use
        with UnitOfWork(db, write=False) as uow:
            actors[member] = access.authenticate_token(uow, tokens[member])
    rng = random.Random(seed)
    plans = []
    for i in range(concurrency):
        member = SENDERS[i % len(SENDERS)]
        with UnitOfWork(db, write=True) as uow:
            thread = threads.start(uow, actor=actors[member], thread_in=ThreadIn(
                subject=f"Send benchmark thread {i}", network_id=network.id,
                message=MessageIn(type="spontaneous_information",
                                  text="Opening the thread.")))  # fmt: skip
        bodies = []
        for _ in range(50):
            language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
            text, _, _ = _text(rng, language)
            bodies.append(json.dumps({"type": "spontaneous_information", "text": text,
                                      "language": language, "handling": "H1",
                                      "source_reliability": "B",
                                      "information_credibility": "2"}).encode())  # fmt: skip
        path = f"/api/v1/messages/threads/{thread.id}/messages"
        plans.append((tokens[member], path, bodies))
    result = _serve_and_send(url, workers, plans, seconds, _alert_count(db))
    emit({"send": {"backend": db.dialect, "server_workers": workers, "senders": concurrency,
                   **result}})  # fmt: skip
    db.close()


def _alert_count(db: Database) -> int:
    with db.engine.connect() as conn:
        query = (
            sa.select(sa.func.count()).select_from(alerts).where(alerts.c.kind == "messages.sent")
        )
        return int(conn.execute(query).scalar() or 0)


def _serve_and_send(url: str, workers: int, plans: list[Any], seconds: float,
                    alerts_before: int) -> dict[str, Any]:  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"VIGIL_DATABASE_URL": url, "VIGIL_ACCESS_LOG": "0", "VIGIL_LOG_LEVEL": "WARNING",
           "PATH": str(Path(sys.executable).parent)}  # fmt: skip
    server = subprocess.Popen(
        [VIGIL, "serve", "--port", str(port), "--workers", str(workers)], env=env
    )
    db = Database.from_url(url)
    try:
        _wait_for(port)
        time.sleep(2 if workers > 1 else 0.5)
        before_cpu = _cpu_seconds(server.pid)
        with ProcessPoolExecutor(1) as client:
            result = client.submit(_send_all, port, plans, seconds, 2.0).result()
        sent = result.pop("sent_201")
        result["server_cpu_ms_per_message"] = round(
            (_cpu_seconds(server.pid) - before_cpu) * 1e3 / max(1, sent), 1)  # fmt: skip
        # The server's dispatcher writes the alerts after each commit: wait until all are in.
        ended = time.perf_counter()
        expected = sent * (len(SENDERS) - 1)
        while (written := _alert_count(db) - alerts_before) < expected:
            if time.perf_counter() - ended > 120:
                break
            time.sleep(0.2)
        result |= {"messages_sent": sent, "alerts_expected": expected, "alerts_written": written,
                   "alerts_complete_after_s": round(time.perf_counter() - ended, 1)}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        db.engine.dispose()
    return result


def _send_all(port: int, plans: list[Any], seconds: float, warmup: float) -> dict[str, Any]:
    return asyncio.run(_send_async(port, plans, seconds, warmup))


async def _send_async(port: int, plans: list[Any], seconds: float, warmup: float) -> dict[str, Any]:
    start = time.perf_counter() + warmup
    window = (start, start + seconds)
    done = await asyncio.gather(*(_sender(port, *plan, window) for plan in plans))
    latencies = sorted(x for measured, _ in done for x in measured)
    statuses: Counter[int] = Counter()
    for _, seen in done:
        statuses.update(seen)
    return {"messages_per_s": round(len(latencies) / seconds, 1), **_percentiles(latencies),
            "statuses": dict(statuses), "sent_201": statuses[201]}  # fmt: skip


async def _sender(port: int, token: str, path: str, bodies: list[bytes],
                  window: tuple[float, float]) -> tuple[list[float], Counter[int]]:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    measured: list[float] = []
    statuses: Counter[int] = Counter()
    turn = 0
    while (sent := time.perf_counter()) < window[1]:
        body = bodies[turn % len(bodies)]
        turn += 1
        status = await exchange(reader, writer, token, body, path)
        finished = time.perf_counter()
        statuses[status] += 1
        if status == 201 and window[0] <= finished <= window[1]:
            measured.append(finished - sent)
    writer.close()
    return measured, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--db", type=Path, default=Path("var/bench/messaging.db"))
    parser.add_argument("--keep-db", action="store_true", help="Skip the load (same --items).")
    parser.add_argument("--queries", type=int, default=100, help="Per query class.")
    parser.add_argument("--baseline-queries", type=int, default=10, help="Per query class.")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", choices=("search", "send"), default=None)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    emit(machine())
    queries = make_queries(args.items, args.seed, args.queries)
    emit({"queries": {name: qs[:3] for name, qs in queries.items()}})
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if args.keep_db:
            url = f"sqlite:///{args.db}" if backend == "sqlite" else PG_URL
        else:
            url = fresh_database(backend, args.db)
            load(url, args.items, args.seed)
        if args.only != "send":
            search(url, queries, args.baseline_queries)
        if args.only != "search":
            for workers in args.workers:
                sending(url, workers, args.concurrency, args.seconds, args.seed)


if __name__ == "__main__":
    main()
