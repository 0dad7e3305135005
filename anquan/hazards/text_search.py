"""The ledger's `q=` search through the gram index (text_index.py, docs/adr/0050-bigram-text-search.md).

What matches is unchanged: the business number, description or place contains q, or the enterprise's name
contains q, its pinyin initials contain q in lower case, or its credit code starts with q in upper case.
The index only narrows the rows that the exact `contains` then checks, so the results equal the plain
`LIKE` scan on each database (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).

Two forms of the same condition, chosen by how many hazards the term finds in the list's area (the narrowest
region its scope and its `region` filter confine it to: a county's search counts the county's matches, not the
province's; docs/adr/0054):
- a rare term (fewer than `DENSE` hazards in the area): the ids the indexes find (a union, so that
  each side uses its own index rather than one OR over the joined rows), then the list's scope and order
  over those few;
- a common one (火, 消防: a fifth of a province's hazards): the list walks its own order and tests each row
  (`contains`, or an enterprise among the matching ones). Collecting 200,000 ids first cost 2–4 s; 50 rows in
  the list's order are found after a few hundred.
"""

import time
import unicodedata

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from anquan.core import grams
from anquan.core.scope import within
from anquan.enterprises.filters import grams as enterprise_grams
from anquan.enterprises.models import Enterprise

from .models import Hazard
from .text_index import EXPRESSION, INDEX, TABLE

DENSE = 2000  # hazards found in the area from which the rows are tested in the list's order
FIRMS = 5000  # matching enterprises written out as ids (SQLite), at most


KEYWORD = 5  # the longest term searched by its rarest gram alone (PostgreSQL)
STATS_SECONDS = 600  # how long the gram frequencies read from PostgreSQL's statistics are kept
_frequencies: tuple[float, dict[str, float]] = (0.0, {})


def gram_frequencies() -> dict[str, float]:
    """PostgreSQL's share of hazards holding each common gram (the gram index's most common elements, kept by
    ANALYZE); a gram not listed is rarer than all of them. Read again every STATS_SECONDS."""
    global _frequencies
    read_at, known = _frequencies
    if time.monotonic() - read_at < STATS_SECONDS:
        return known
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = 'anquan_grams'",
            [INDEX],
        )
        row = cursor.fetchone()
    known = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies = (time.monotonic(), known)
    return known


def rarest(term: str, frequencies: dict[str, float]) -> str | None:
    """The rarest gram of a Chinese keyword (up to KEYWORD characters, all of them letters without case, so that its
    grams are the database's own: Python's and PostgreSQL's lower case may differ); else None. A keyword's grams go
    together
    (安全出口指: each of its bigrams is in 4 % of hazards, the word in 4 %), so its rarest gram is a fair estimate of
    it; a longer text's or a number's grams are selective together (修水隐〔2026〕2542: each in 2–100 % of hazards,
    the number in one; 2542: each in 3 %, the digits together in 119)."""
    if len(term) > KEYWORD or not all(unicodedata.category(c) == "Lo" for c in term):
        return None
    found = grams.query_grams(term)
    return min(sorted(found), key=lambda g: frequencies.get(g, 0.0)) if found else None


def _indexed(term: str, area: str = "") -> Q:
    """Hazards whose number, description or place may contain `term` (a superset), in the region prefix `area`
    where the index can say so (SQLite: the area's token; PostgreSQL intersects the region index itself).

    PostgreSQL: by the term's rarest gram alone where it can (a Chinese term). The planner multiplies the grams'
    frequencies as if independent (安全出口指: 5 rows estimated, 40,062 found) and then reads the gram index alone
    where intersecting it with the region index is ten times faster (a county: 188 ms → 20 ms); one gram's
    estimate is its own frequency, so the planner intersects when it pays. The exact `contains` rechecks."""
    if connection.vendor == "postgresql":
        gram = rarest(term, gram_frequencies())
        if gram is not None:
            return Q(RawSQL(f"{EXPRESSION} @> ARRAY[%s]::text[]", (gram,), output_field=BooleanField()))
        sql = f"{EXPRESSION} @> anquan_query_grams(%s)"
        return Q(RawSQL(sql, (term,), output_field=BooleanField()))
    # (a county's 火: the index's own intersection with the county's token, not the province's 208,000 rows)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (grams.match(term, area),)))


def _own_text(q: str) -> Q:
    return Q(number__contains=q) | Q(description__contains=q) | Q(address__contains=q)


def enterprises(q: str) -> QuerySet:
    """The ids of the enterprises q finds. The gram condition stands alone beside the `contains` (grams are
    case folded, so name and initials share it) so that PostgreSQL takes it as the index's condition and does
    not compute it again for each row found; the credit code's prefix is its own arm of the union."""
    by_name = Enterprise.objects.filter(
        enterprise_grams(q), Q(name__contains=q) | Q(name_initials__contains=q.lower())
    )
    by_code = Enterprise.objects.filter(uscc__startswith=q.upper())
    return (
        by_name.order_by().values_list("pk", flat=True).union(by_code.order_by().values_list("pk", flat=True))
    )


def found(q: str, of_firms: Q | None, area: str = "") -> QuerySet:
    """The ids of the hazards q finds in the region prefix `area` ("" everywhere), by index: those matched by their
    own text, then those of the matching enterprises (`of_firms`; None: no enterprise matches)."""
    where = within(area)
    own = (
        Hazard.objects.filter(where, _indexed(q, area), _own_text(q)).order_by().values_list("pk", flat=True)
    )
    if of_firms is None:
        return own
    firms = Hazard.objects.filter(where, of_firms).order_by().values_list("pk", flat=True)
    return own.union(firms, all=True)


def matching(q: str, area: str = "") -> tuple[Q, list[int] | None]:
    """The condition on hazards for `q` within the region prefix `area` (what the list is confined to; "" the whole
    table), in the form that suits how common the term is there (see above), and for a common term the ids of its
    first DENSE matches (a sample the list's count may stop on: core.paging.count_up_to). A rare
    term's hazards are read once here and written into the condition as ids, so that the list's count and its
    page do not search again; on SQLite, which scans the registry for a name (60 ms at 100,000 enterprises),
    so are the matching enterprises."""
    of_firms: Q | None = Q(enterprise__in=enterprises(q))
    if connection.vendor == "sqlite":
        firms = list(enterprises(q)[: FIRMS + 1])
        of_firms = None if not firms else Q(enterprise_id__in=firms) if len(firms) <= FIRMS else of_firms
    ids = list(found(q, of_firms, area)[:DENSE])
    if len(ids) < DENSE:
        return Q(pk__in=ids), None
    return (_own_text(q) | of_firms if of_firms else _own_text(q)), ids
