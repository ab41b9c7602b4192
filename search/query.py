"""The query language shared by every backend.

Syntax (what users type):

- bare words are AND-ed:                 ``vigilant license plate``
- ``"quoted phrases"``:                   ``"license plate reader"``
- ``OR`` (upper case) between terms:      ``palantir OR clearview``
- exclusion with ``-word`` or ``NOT``:    ``ice -training``, ``ice NOT "training"``
- an explicit ``AND`` is accepted too; ``(`` ``)`` group sub-expressions
- a trailing ``*`` asks for a prefix:     ``surveil*``

Precedence: NOT binds tightest, then AND (implicit or explicit), then OR.
A query must contain at least one positive term in every AND group; a group made only of
exclusions ("-foo") is rejected, because it would mean "every page except ...". Parentheses nest
at most ``MAX_DEPTH`` deep (a QuerySyntaxError beyond: the parser and the renderers recurse, and
Elasticsearch bounds bool nesting too).

``parse`` turns text into a small AST; ``to_fts5`` and ``to_es`` render it. Nothing typed by
a user reaches SQLite unquoted: every term and phrase is emitted as an FTS5 string literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from foialens.search.backend import QuerySyntaxError

# --- AST ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or

# --- tokenizer ------------------------------------------------------------------------------

MAX_DEPTH = 8  # nested parentheses; each level is at most two bool levels in Elasticsearch (limit 20)
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_OPERATORS = {"OR", "AND", "NOT"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD, PHRASE, OR, AND, NOT, MINUS, LPAREN, RPAREN
    value: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(f"unbalanced quote: the quote at position {i + 1} is never closed")
            toks.append(_Tok("PHRASE", text[i + 1 : end], i))
            i = end + 1
        elif c == "(":
            toks.append(_Tok("LPAREN", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("RPAREN", c, i))
            i += 1
        elif c == "-" and i + 1 < n and text[i + 1].isspace():
            i += 1  # a lone dash between words is punctuation, not an exclusion
        elif c == "-":
            toks.append(_Tok("MINUS", c, i))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '"()':
                j += 1
            word = text[i:j]
            kind = word if word in _OPERATORS else "WORD"
            toks.append(_Tok(kind, word, i))
            i = j
    return toks


def _has_word_chars(s: str) -> bool:
    return bool(_WORD_CHAR.search(s))


# --- parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0
        self.depth = 0  # open parentheses around the current position

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only an unmatched ")" can stop the top level early
            raise QuerySyntaxError(f"unbalanced parenthesis: ')' at position {tok.pos + 1} has no matching '('")
        return node

    def or_expr(self) -> Node | None:
        first = self.peek()
        if first is not None and first.kind in ("OR", "AND"):
            raise QuerySyntaxError(f"'{first.value}' at position {first.pos + 1} needs a term before it")
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", "RPAREN"):
                raise QuerySyntaxError(f"'OR' at position {tok.pos + 1} needs a term after it")
            parts.append(self.and_expr())
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", "AND", "RPAREN") or not items:
                    raise QuerySyntaxError(f"'AND' at position {tok.pos + 1} needs a term on both sides")
                continue
            node = self.unary()
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        tok = self.take()
        if tok.kind in ("MINUS", "NOT"):
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("WORD", "PHRASE", "LPAREN"):
                raise QuerySyntaxError(f"'{tok.value}' at position {tok.pos + 1} needs a term after it")
            child = self.atom(self.take())
            return None if child is None else Not(child)
        return self.atom(tok)

    def atom(self, tok: _Tok) -> Node | None:
        if tok.kind == "LPAREN":
            if self.depth >= MAX_DEPTH:
                raise QuerySyntaxError(
                    f"too deeply nested: '(' at position {tok.pos + 1} opens level {self.depth + 1}; "
                    f"parentheses may be nested at most {MAX_DEPTH} deep")
            self.depth += 1
            inner = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QuerySyntaxError(f"unbalanced parenthesis: '(' at position {tok.pos + 1} is never closed")
            self.take()
            return inner
        if tok.kind == "PHRASE":
            text = " ".join(tok.value.split())
            return Phrase(text) if _has_word_chars(text) else None
        if tok.kind == "WORD":
            word, prefix = tok.value, False
            if word.endswith("*"):
                word, prefix = word.rstrip("*"), True
            if "*" in word:
                raise QuerySyntaxError(f"'*' is only allowed at the end of a word (position {tok.pos + 1})")
            if not _has_word_chars(word):
                return None  # punctuation only: no searchable token
            return Term(word, prefix)
        raise QuerySyntaxError(f"unexpected '{tok.value}' at position {tok.pos + 1}")


def _check_positive(node: Node) -> None:
    """Every AND group needs a positive term; a bare exclusion cannot stand alone."""
    if isinstance(node, Not):
        raise QuerySyntaxError("a query cannot consist only of excluded terms; add a term to search for")
    if isinstance(node, Or):
        for child in node.children:
            _check_positive(child)
    elif isinstance(node, And):
        positives = [c for c in node.children if not isinstance(c, Not)]
        if not positives:
            raise QuerySyntaxError("a query cannot consist only of excluded terms; add a term to search for")
        for child in node.children:
            _check_positive(child.child if isinstance(child, Not) else child)


def parse(text: str) -> Node | None:
    """Parse user query text. Returns None for a query with no searchable terms."""
    node = _Parser(_tokenize(text)).parse()
    if node is not None:
        _check_positive(node)
    return node


# --- renderers ------------------------------------------------------------------------------


def _fts5_string(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """Render to an FTS5 MATCH expression (every user string becomes an FTS5 string literal)."""
    if isinstance(node, Term):
        return _fts5_string(node.text) + (" *" if node.prefix else "")
    if isinstance(node, Phrase):
        return _fts5_string(node.text)
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        pos = [c for c in node.children if not isinstance(c, Not)]
        neg = [c.child for c in node.children if isinstance(c, Not)]
        out = "(" + " AND ".join(to_fts5(c) for c in pos) + ")"
        for n in neg:
            out += " NOT " + to_fts5(n)
        return out
    raise TypeError(f"cannot render {node!r}")  # Not is only valid inside And (checked by parse)


def to_es(node: Node, fields: list[str]) -> dict:
    """Render to an Elasticsearch query over ``fields`` (e.g. ["text", "title^3"]).

    A word is a phrase query on its analysed tokens, which is what FTS5 does with a quoted
    string: "U.S." means the tokens "u" "s" adjacent, in both engines."""
    if isinstance(node, Term):
        kind = "phrase_prefix" if node.prefix else "phrase"
        return {"multi_match": {"query": node.text, "fields": fields, "type": kind}}
    if isinstance(node, Phrase):
        return {"multi_match": {"query": node.text, "fields": fields, "type": "phrase"}}
    if isinstance(node, Or):
        return {"bool": {"should": [to_es(c, fields) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, And):
        pos = [to_es(c, fields) for c in node.children if not isinstance(c, Not)]
        neg = [to_es(c.child, fields) for c in node.children if isinstance(c, Not)]
        body: dict = {"must": pos}
        if neg:
            body["must_not"] = neg
        return {"bool": body}
    raise TypeError(f"cannot render {node!r}")


def terms(node: Node | None) -> list[str]:
    """Positive words and phrases of a query (for callers that want to show them)."""
    if node is None:
        return []
    if isinstance(node, Term | Phrase):
        return [node.text]
    if isinstance(node, Not):
        return []
    out: list[str] = []
    for c in node.children:
        out.extend(terms(c))
    return out
