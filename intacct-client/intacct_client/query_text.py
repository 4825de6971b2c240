"""readByQuery's query text (``STATE = 'Posted' AND TOTALDUE > 0``) -> a ``query`` filter.

Intacct's readByQuery takes an SQL-like condition; the newer ``query`` function takes an
XML filter tree (``filters.Filter``). Users know the text form (it is what Intacct's
documentation shows for readByQuery, e.g. the account balances page: operators ``<``,
``>``, ``>=``, ``<=``, ``=``, ``like``, ``not like``, ``in``, ``not in``, ``IS NOT
NULL``, ``IS NULL``, ``AND``, ``OR``; single quotes inside values escaped with a
backslash), so settings accept it and this module translates it. ``!=``/``<>``,
parentheses and ``NOT (...)`` are accepted too; ``NOT`` is pushed down to the
comparisons (the ``query`` filter has no negation node). Values stay text: Intacct
reads them by the field's type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intacct_client import filters as f
from intacct_client.filters import Filter

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:\\.|[^'\\])*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op><=|>=|<>|!=|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.#]*)
    )""",
    re.VERBOSE,
)
_COMPARE = {
    "=": "equalto",
    "!=": "notequalto",
    "<>": "notequalto",
    "<": "lessthan",
    "<=": "lessthanorequalto",
    ">": "greaterthan",
    ">=": "greaterthanorequalto",
}
_NEGATED = {
    "equalto": "notequalto",
    "notequalto": "equalto",
    "lessthan": "greaterthanorequalto",
    "greaterthanorequalto": "lessthan",
    "greaterthan": "lessthanorequalto",
    "lessthanorequalto": "greaterthan",
    "in": "notin",
    "notin": "in",
    "like": "notlike",
    "notlike": "like",
    "isnull": "isnotnull",
    "isnotnull": "isnull",
}
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL"})


class QueryTextError(ValueError):
    """Query text that cannot be translated; ``token`` is the offending piece."""

    def __init__(self, message: str, token: str, position: int) -> None:
        super().__init__(message)
        self.token = token
        self.position = position


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int

    @property
    def keyword(self) -> str | None:
        upper = self.text.upper()
        return upper if self.kind == "word" and upper in _KEYWORDS else None


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            start = len(text) - len(text[position:].lstrip())
            piece = (text[start:].split(maxsplit=1) or [text[start:]])[0]
            raise QueryTextError(f"unexpected text {piece!r} at {start + 1}", piece, start)
        kind = match.lastgroup
        out.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise QueryTextError("the condition ends too early", "", -1)
        self.index += 1
        return token

    def fail(self, token: _Token, expected: str) -> QueryTextError:
        return QueryTextError(
            f"expected {expected}, found {token.text!r} at {token.position + 1}",
            token.text,
            token.position,
        )

    def expect_keyword(self, word: str) -> None:
        token = self.take()
        if token.keyword != word:
            raise self.fail(token, word)

    def parse(self) -> Filter:
        if not self.tokens:
            raise QueryTextError("the condition is empty", "", 0)
        tree = self.disjunction()
        extra = self.peek()
        if extra is not None:
            raise self.fail(extra, "AND, OR or the end")
        return tree

    def disjunction(self) -> Filter:
        parts = [self.conjunction()]
        while (token := self.peek()) is not None and token.keyword == "OR":
            self.take()
            parts.append(self.conjunction())
        return f.or_(*parts)

    def conjunction(self) -> Filter:
        parts = [self.factor()]
        while (token := self.peek()) is not None and token.keyword == "AND":
            self.take()
            parts.append(self.factor())
        return f.and_(*parts)

    def factor(self) -> Filter:
        token = self.take()
        if token.keyword == "NOT":
            return negate(self.factor())
        if token.text == "(":
            inner = self.disjunction()
            closing = self.take()
            if closing.text != ")":
                raise self.fail(closing, "')'")
            return inner
        if token.kind != "word" or token.keyword is not None:
            raise self.fail(token, "a field name")
        return self.comparison(token.text)

    def value(self) -> str:
        token = self.take()
        if token.kind == "string":
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            return token.text
        raise self.fail(token, "a quoted value or a number")

    def comparison(self, field: str) -> Filter:
        token = self.take()
        if token.kind == "op":
            return Filter(_COMPARE[token.text], field, (self.value(),))
        negated = token.keyword == "NOT"
        if negated:
            token = self.take()
        if token.keyword == "LIKE":
            node = f.like(field, self.value())
        elif token.keyword == "IN":
            node = f.in_(field, self.value_list())
        elif token.keyword == "IS" and not negated:
            following = self.take()
            if following.keyword == "NOT":
                self.expect_keyword("NULL")
                return f.is_not_null(field)
            if following.keyword != "NULL":
                raise self.fail(following, "NULL or NOT NULL")
            return f.is_null(field)
        else:
            raise self.fail(token, "an operator (=, <, like, in, is null, ...)")
        return negate(node) if negated else node

    def value_list(self) -> list[str]:
        opening = self.take()
        if opening.text != "(":
            raise self.fail(opening, "'('")
        items = [self.value()]
        while (token := self.take()).text == ",":
            items.append(self.value())
        if token.text != ")":
            raise self.fail(token, "',' or ')'")
        return items


def negate(node: Filter) -> Filter:
    """The filter matching exactly the rows `node` does not (De Morgan on and/or)."""
    if node.operator == "and":
        return f.or_(*(negate(child) for child in node.children))
    if node.operator == "or":
        return f.and_(*(negate(child) for child in node.children))
    opposite = _NEGATED.get(node.operator)
    if opposite is None:
        raise QueryTextError(f"cannot negate {node.operator}", node.operator, -1)
    return Filter(opposite, node.field, node.values)


def parse_query(text: str) -> Filter:
    """Translate readByQuery condition text into a ``query`` filter (raises QueryTextError)."""
    return _Parser(text).parse()


def filter_fields(node: Filter) -> list[str]:
    """Every field a filter names, in order of appearance, once each."""
    seen: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop(0)
        if current.field and current.field not in seen:
            seen.append(current.field)
        stack[0:0] = list(current.children)
    return seen
