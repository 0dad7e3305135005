"""The ledger's `q=` search through the gram index (text_index.py, docs/adr/0050-bigram-text-search.md).

What matches is unchanged: the business number, description or place contains q, or the enterprise's name
contains q, its pinyin initials contain q in lower case, or its credit code starts with q in upper case.
The index only narrows the rows that the exact `contains` then checks, so the results equal the plain
`LIKE` scan on each database (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from anquan.core import grams
from anquan.enterprises.filters import grams as enterprise_grams
from anquan.enterprises.models import Enterprise

from .models import Hazard
from .text_index import EXPRESSION, TABLE


def _indexed(term: str) -> Q:
    """Hazards whose number, description or place may contain `term` (a superset)."""
    if connection.vendor == "postgresql":
        sql = f"{EXPRESSION} @> anquan_query_grams(%s)"
        return Q(RawSQL(sql, (term,), output_field=BooleanField()))
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (grams.match(term),)))


def matching(q: str) -> QuerySet:
    """The ids of the hazards q finds: those matched by their own text, then those of matching enterprises
    (a union, so that each side uses its own index rather than one OR over the joined rows)."""
    own = Hazard.objects.filter(
        _indexed(q), Q(number__contains=q) | Q(description__contains=q) | Q(address__contains=q)
    )
    enterprises = Enterprise.objects.filter(
        (enterprise_grams(q) & Q(name__contains=q))
        | (enterprise_grams(q.lower()) & Q(name_initials__contains=q.lower()))
        | Q(uscc__startswith=q.upper())
    )
    of_enterprises = Hazard.objects.filter(enterprise__in=enterprises.values("pk"))
    return own.order_by().values("pk").union(of_enterprises.order_by().values("pk"), all=True)
