"""Character unigrams and bigrams: the tokens of the indexed `contains` search (docs/adr/0050-bigram-text-search.md).

A text that contains a term contains every character bigram of the term (and, for a one-character term, that
character), case folded the same way on both sides. So "the row's grams include all of the term's grams" is a
superset of `LIKE '%term%'`; the caller keeps the exact `LIKE` as a recheck and the results equal the plain scan.
Chinese terms are mostly two characters (消防, 动火), for which trigram indexes (pg_trgm, FTS5 trigram) extract
nothing; bigrams serve them and longer terms alike.

PostgreSQL computes the same grams in SQL (`anquan_grams`, `anquan_query_grams`, created by
enterprises/migrations/0005) for a GIN expression index; SQLite calls `document` as the function `anquan_grams`
(registered on every connection) from the triggers that keep an FTS5 table of the tokens.
"""

from django.db.backends.signals import connection_created


def fold(text: str) -> str:
    """Lower case character by character (a character whose lower case is longer stays itself), so that a
    substring of the text folds to a substring of the folded text."""
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def grams(text: str) -> set[str]:
    folded = fold(text)
    return set(folded) | {folded[i : i + 2] for i in range(len(folded) - 1)}


def query_grams(term: str) -> set[str]:
    """What a text containing `term` must contain: its bigrams, or the character itself."""
    folded = fold(term)
    if len(folded) < 2:
        return {folded} if folded else set()
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def token(gram: str) -> str:
    """An FTS5 token for a gram: code points in hex, so that no tokenizer splits or folds it."""
    return "x".join(format(ord(c), "x") for c in gram)


def document(*parts: str | None) -> str:
    """The FTS5 document of a row's searched fields (None fields left out)."""
    text = " ".join(p for p in parts if p)
    return " ".join(sorted(token(g) for g in grams(text)))


AREA_LENGTHS = (
    4,
    6,
    9,
    12,
)  # the region prefixes of a city, county, township and village (regions.code_prefix)


def area_tokens(code: str | None) -> str:
    """FTS5 tokens of the areas a region code lies in ("r3604 r360402 r360402001" for a township): with one of
    them beside a term's grams, the index answers for that area alone. ("r" is no hex digit: no gram's token.)"""
    return " ".join(f"r{code[:n]}" for n in AREA_LENGTHS if code and len(code) >= n)


def area_token(prefix: str) -> str | None:
    """The token of region prefix `prefix` (None when the index keeps none for it: the province, everywhere)."""
    return f"r{prefix}" if len(prefix) in AREA_LENGTHS else None


def match(term: str, area: str = "") -> str:
    """The FTS5 query: every gram of the term (implicit AND), and the area's token when it has one."""
    tokens = [f'"{token(g)}"' for g in sorted(query_grams(term))]
    if (within := area_token(area)) is not None:
        tokens.append(within)
    return " ".join(tokens)


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("anquan_grams", -1, document, deterministic=True)
        connection.connection.create_function("anquan_area", 1, area_tokens, deterministic=True)


def connect() -> None:
    connection_created.connect(_register, dispatch_uid="anquan.core.grams")
