"""A small reader of nginx's configuration format, enough for the tests to look into
platform/nginx.conf by block and directive instead of by regular expression over the text."""

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"""\#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};"'#]+""")


@dataclass
class Directive:
    name: str
    args: list[str]
    children: list["Directive"] = field(default_factory=list)

    def all(self, name: str, *args: str) -> list["Directive"]:
        """The directives named `name` directly inside this block, whose arguments begin with
        `args`."""
        return [
            child
            for child in self.children
            if child.name == name and child.args[: len(args)] == list(args)
        ]

    def one(self, name: str, *args: str) -> "Directive":
        found = self.all(name, *args)
        assert len(found) == 1, f"expected one {name} {' '.join(args)}, found {len(found)}"
        return found[0]

    def values(self, name: str) -> list[list[str]]:
        return [child.args for child in self.all(name)]

    def headers_set(self) -> dict[str, str]:
        """proxy_set_header name -> value."""
        return {args[0]: args[1] for args in self.values("proxy_set_header")}


def unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return token


def parse(text: str) -> Directive:
    """The file as a root Directive whose children are its top-level directives."""
    tokens = [token for token in TOKEN.findall(text) if not token.startswith("#")]
    root = Directive("", [])
    stack, words = [root], []
    for token in tokens:
        if token == ";":
            name, *args = map(unquote, words)
            stack[-1].children.append(Directive(name, args))
            words = []
        elif token == "{":
            name, *args = map(unquote, words)
            directive = Directive(name, args)
            stack[-1].children.append(directive)
            stack.append(directive)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words} before }}"
            stack.pop()
        else:
            words.append(token)
    assert len(stack) == 1, "a block is not closed"
    assert not words, "the last directive has no ;"
    return root
