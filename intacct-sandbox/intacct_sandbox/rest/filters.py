"""REST query filters -> the query engine's filter tree.

`filters` is a list of one-operator objects (`{"$eq": {"status": "active"}}`);
`filterExpression` combines them by 1-based position (`"1 and (2 or 3)"`), or is just
`"and"` / `"or"` for all of them (docs/protocol-rest.md §3.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from intacct_sandbox.queryengine import Cond, FilterNode, Logic, Not
from intacct_sandbox.rest.convert import to_text
from intacct_sandbox.rest.errors import bad_request
from intacct_sandbox.rest.objects import RestObject

COMPARE = {
    "$eq": "equalto",
    "$ne": "notequalto",
    "$lt": "lessthan",
    "$lte": "lessthanorequalto",
    "$gt": "greaterthan",
    "$gte": "greaterthanorequalto",
}
LISTS = {"$in": "in", "$notIn": "notin"}
RANGES = {"$between": False, "$notBetween": True}
# operator -> (negated, pattern builder)
PATTERNS: dict[str, tuple[bool, Callable[[str], str]]] = {
    "$contains": (False, lambda v: f"%{v}%"),
    "$notContains": (True, lambda v: f"%{v}%"),
    "$startsWith": (False, lambda v: f"{v}%"),
    "$notStartsWith": (True, lambda v: f"{v}%"),
    "$endsWith": (False, lambda v: f"%{v}"),
    "$notEndsWith": (True, lambda v: f"%{v}"),
}
OPERATORS = frozenset({*COMPARE, *LISTS, *RANGES, *PATTERNS})
_TOKEN = re.compile(r"\s*(\(|\)|\d+|[A-Za-z]+)")


def build_filter(rest: RestObject, filters: Any, expression: Any) -> FilterNode | None:
    if filters in (None, []):
        return None
    if not isinstance(filters, list):
        raise bad_request("'filters' must be a list of filter objects.")
    nodes = [_one(rest, f, i + 1) for i, f in enumerate(filters)]
    text = (expression or "and").strip() if isinstance(expression, (str, type(None))) else None
    if text is None:
        raise bad_request("'filterExpression' must be a string.")
    if text.lower() in {"and", "or"}:
        return nodes[0] if len(nodes) == 1 else Logic(text.lower(), nodes)
    return _Expression(text, nodes).parse()


def _one(rest: RestObject, spec: Any, position: int) -> FilterNode:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise bad_request(
            f"filter {position} must be one operator object, e.g. {{'$eq': {{...}}}}."
        )
    op, body = next(iter(spec.items()))
    if op not in OPERATORS:
        raise bad_request(
            f"filter {position}: unknown operator '{op}'; use one of {sorted(OPERATORS)}."
        )
    if not isinstance(body, dict) or len(body) != 1:
        raise bad_request(f"filter {position}: '{op}' takes one field and its value.")
    path, value = next(iter(body.items()))
    fdef = rest.field_for(path)
    if fdef is None:
        raise bad_request(f"filter {position}: field '{path}' is not a field of {rest.name}.")
    codes = rest.codes.get(path)
    column = fdef.id
    if op in COMPARE:
        if value is None:
            return Cond("isnull" if op == "$eq" else "isnotnull", column)
        return Cond(COMPARE[op], column, [_text(fdef, path, value, codes, position)])
    if op in LISTS:
        if not isinstance(value, list) or not value:
            raise bad_request(f"filter {position}: '{op}' on '{path}' needs a non-empty list.")
        return Cond(LISTS[op], column, [_text(fdef, path, v, codes, position) for v in value])
    if op in RANGES:
        if not isinstance(value, list) or len(value) != 2:
            raise bad_request(f"filter {position}: '{op}' on '{path}' needs [low, high].")
        cond = Cond("between", column, [_text(fdef, path, v, codes, position) for v in value])
        return Not(cond) if RANGES[op] else cond
    negated, pattern = PATTERNS[op]
    literal = _text(fdef, path, value, codes, position)
    return Cond("notlike" if negated else "like", column, [pattern(literal)])


def _text(fdef: Any, path: str, value: Any, codes: Any, position: int) -> str:
    try:
        return to_text(fdef, path, value, codes)
    except ValueError as exc:
        raise bad_request(f"filter {position}: {exc}") from exc


class _Expression:
    """Recursive descent over `n`, `and`, `or`, parentheses; `and` binds tighter."""

    def __init__(self, text: str, nodes: list[FilterNode]) -> None:
        self.text = text
        self.nodes = nodes
        self.tokens = self._tokenize(text)
        self.pos = 0

    def _tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        at = 0
        while at < len(text):
            if text[at:].strip() == "":
                break
            match = _TOKEN.match(text, at)
            if match is None:
                raise bad_request(
                    f"filterExpression '{text}': unexpected '{text[at:].strip()[:10]}'."
                )
            tokens.append(match.group(1).lower())
            at = match.end()
        return tokens

    def parse(self) -> FilterNode:
        node = self._or()
        if self.pos != len(self.tokens):
            raise bad_request(
                f"filterExpression '{self.text}': unexpected '{self.tokens[self.pos]}'."
            )
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self) -> FilterNode:
        parts = [self._and()]
        while self._peek() == "or":
            self.pos += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Logic("or", parts)

    def _and(self) -> FilterNode:
        parts = [self._atom()]
        while self._peek() == "and":
            self.pos += 1
            parts.append(self._atom())
        return parts[0] if len(parts) == 1 else Logic("and", parts)

    def _atom(self) -> FilterNode:
        token = self._peek()
        if token is None:
            raise bad_request(f"filterExpression '{self.text}' ends too early.")
        self.pos += 1
        if token == "(":  # noqa: S105 - a parser token, not a secret
            node = self._or()
            if self._peek() != ")":
                raise bad_request(f"filterExpression '{self.text}': missing ')'.")
            self.pos += 1
            return node
        if token.isdigit():
            index = int(token)
            if not 1 <= index <= len(self.nodes):
                raise bad_request(
                    f"filterExpression '{self.text}': filter {index} does not exist "
                    f"(there are {len(self.nodes)})."
                )
            return self.nodes[index - 1]
        raise bad_request(f"filterExpression '{self.text}': unexpected '{token}'.")
