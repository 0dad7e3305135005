"""The ledger's `q=` search through the gram index (text_index.py, docs/adr/0050-bigram-text-search.md).

What matches is unchanged: the business number, description or place contains q, or the enterprise's name
contains q, its pinyin initials contain q in lower case, or its credit code starts with q in upper case.
The index only narrows the rows that the exact `contains` then checks, so the results equal the plain
`LIKE` scan on each database (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).

Two forms of the same condition, chosen by how many hazards the term finds (docs/adr/0054):
- a rare term (fewer than `DENSE` hazards in the whole table): the ids the indexes find (a union, so that
  each side uses its own index rather than one OR over the joined rows), then the list's scope and order
  over those few;
- a common one (火, 消防: a fifth of a province's hazards): the list walks its own order and tests each row
  (`contains`, or an enterprise among the matching ones). Collecting 200,000 ids first cost 2–4 s; 50 rows in
  the list's order are found after a few hundred.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from anquan.core import grams
from anquan.enterprises.filters import grams as enterprise_grams
from anquan.enterprises.models import Enterprise

from .models import Hazard
from .text_index import EXPRESSION, TABLE

DENSE = 5000  # hazards found in the whole table from which the rows are tested in the list's order
FIRMS = 5000  # matching enterprises written out as ids (SQLite), at most


def _indexed(term: str) -> Q:
    """Hazards whose number, description or place may contain `term` (a superset)."""
    if connection.vendor == "postgresql":
        sql = f"{EXPRESSION} @> anquan_query_grams(%s)"
        return Q(RawSQL(sql, (term,), output_field=BooleanField()))
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (grams.match(term),)))


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


def found(q: str, of_firms: Q | None) -> QuerySet:
    """The ids of the hazards q finds, by index: those matched by their own text, then those of the matching
    enterprises (`of_firms`; None: no enterprise matches)."""
    own = Hazard.objects.filter(_indexed(q), _own_text(q)).order_by().values_list("pk", flat=True)
    if of_firms is None:
        return own
    return own.union(Hazard.objects.filter(of_firms).order_by().values_list("pk", flat=True), all=True)


def matching(q: str) -> Q:
    """The condition on hazards for `q`, in the form that suits how common the term is (see above). A rare
    term's hazards are read once here and written into the condition as ids, so that the list's count and its
    page do not search again; on SQLite, which scans the registry for a name (60 ms at 100,000 enterprises),
    so are the matching enterprises."""
    of_firms: Q | None = Q(enterprise__in=enterprises(q))
    if connection.vendor == "sqlite":
        firms = list(enterprises(q)[: FIRMS + 1])
        of_firms = None if not firms else Q(enterprise_id__in=firms) if len(firms) <= FIRMS else of_firms
    ids = list(found(q, of_firms)[:DENSE])
    if len(ids) < DENSE:
        return Q(pk__in=ids)
    return _own_text(q) | of_firms if of_firms else _own_text(q)
