"""Renders the Helm chart without helm and checks that every manifest is valid YAML.

Usage: python infra/helm/check_chart.py [values-override.yaml ...] [--print]

Implements the part of Go's text/template and Helm's functions that our templates use (actions
with whitespace trimming, pipelines, if/else if/else, range, with, define/include, variables,
and the functions listed in FUNCTIONS). A template using anything else fails loudly here, so the
check never passes by skipping what it cannot read. `helm template` and `helm lint` remain the
reference where helm is installed.
"""

import hashlib
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import yaml

CHART = Path(__file__).resolve().parent / "eoffice"
_ACTION = re.compile(r"{{(-?)\s*(.*?)\s*(-?)}}", re.S)


class TemplateError(Exception):
    pass


def _to_yaml(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True).rstrip("\n")


def _indent(width: int, text: str) -> str:
    return "\n".join((" " * width + line) if line else line for line in str(text).split("\n"))


def _required(message: str, value: Any) -> Any:
    if value in (None, ""):
        raise TemplateError(f"required: {message}")
    return value


def _go_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


FUNCTIONS = {
    "quote": lambda *values: " ".join(
        '"' + _go_str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values
    ),
    "nindent": lambda width, text: "\n" + _indent(width, text),
    "indent": _indent,
    "toYaml": _to_yaml,
    "default": lambda fallback, value=None: value if value not in (None, "", [], {}, 0, False) else fallback,
    "trunc": lambda length, text: text[:length],
    "trimSuffix": lambda suffix, text: text[: -len(suffix)] if suffix and text.endswith(suffix) else text,
    "printf": lambda fmt, *args: re.sub(r"%[sdv]", "{}", fmt).format(*(_go_str(a) for a in args)),
    "print": lambda *args: "".join(_go_str(a) for a in args),
    "required": _required,
    "sha256sum": lambda text: hashlib.sha256(text.encode()).hexdigest(),
    "contains": lambda needle, haystack: needle in haystack,
    "replace": lambda old, new, text: text.replace(old, new),
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "not": lambda value: not value,
    "and": lambda *values: next((v for v in values if not v), values[-1]),
    "or": lambda *values: next((v for v in values if v), values[-1]),
    "list": lambda *values: list(values),
    "concat": lambda *lists: [item for one in lists for item in (one or [])],
}


class Renderer:
    def __init__(self, templates: dict[str, str]) -> None:
        self.defines: dict[str, list] = {}
        self.trees = {name: self._parse(source, name) for name, source in templates.items()}

    # --- parsing: a list of nodes; text, ("expr", pipeline), ("if", [(cond, body)...], else), ...
    def _parse(self, source: str, name: str) -> list:
        tokens: list[tuple[str, str]] = []
        position = 0
        for match in _ACTION.finditer(source):
            text = source[position : match.start()]
            if match.group(1):
                text = text.rstrip()
            if tokens and tokens[-1][0] == "trim_next":
                tokens.pop()
                text = text.lstrip()
            tokens.append(("text", text))
            tokens.append(("action", match.group(2)))
            if match.group(3):
                tokens.append(("trim_next", ""))
            position = match.end()
        tail = source[position:]
        if tokens and tokens[-1][0] == "trim_next":
            tokens.pop()
            tail = tail.lstrip()
        tokens.append(("text", tail))
        body, end = self._block(tokens, 0, name)
        if end is not None:
            raise TemplateError(f"{name}: unexpected {{{{ {end} }}}}")
        return body

    def _block(self, tokens: list, index: int, name: str, stop: tuple = ()) -> tuple[list, Any]:
        nodes: list = []
        while index < len(tokens):
            kind, value = tokens[index]
            index += 1
            if kind == "text":
                nodes.append(value)
                continue
            if value.startswith("/*"):
                continue
            word = value.split(None, 1)[0]
            if word in ("end", "else"):
                self._cursor = index
                return nodes, value
            if word in ("if", "range", "with", "define"):
                branches = [(value[len(word) :].strip(), None)]
                bodies = []
                while True:
                    body, end = self._block(tokens, index, name)
                    index = self._cursor
                    if end is None:
                        raise TemplateError(f"{name}: {{{{ {value} }}}} is never closed")
                    bodies.append(body)
                    if end == "end":
                        break
                    branches.append((end[len("else") :].strip(), None))
                if word == "define":
                    self.defines[shlex.split(branches[0][0])[0]] = bodies[0]
                else:
                    nodes.append(
                        (word, [(cond, body) for (cond, _), body in zip(branches, bodies, strict=True)])
                    )
                continue
            nodes.append(("expr", value))
        self._cursor = index
        return nodes, None

    # --- evaluation
    def render(self, name: str, dot: Any) -> str:
        return self._run(self.trees[name], dot, {"$": dot})

    def _run(self, nodes: list, dot: Any, variables: dict) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif node[0] == "expr":
                assigned = re.match(r"^\$(\w+)\s*:?=\s*(.*)$", node[1], re.S)
                if assigned:
                    variables["$" + assigned.group(1)] = self._pipeline(assigned.group(2), dot, variables)
                else:
                    out.append(_go_str(self._pipeline(node[1], dot, variables)))
            elif node[0] == "if":
                for cond, body in node[1]:
                    condition = cond[2:].strip() if cond.startswith("if") else cond
                    if not condition or self._pipeline(condition, dot, variables):
                        out.append(self._run(body, dot, dict(variables)))
                        break
            elif node[0] == "with":
                (cond, body), *rest = node[1]
                value = self._pipeline(cond, dot, variables)
                if value:
                    out.append(self._run(body, value, dict(variables)))
                elif rest:
                    out.append(self._run(rest[0][1], dot, dict(variables)))
            elif node[0] == "range":
                (cond, body), *_ = node[1]
                names, _, expression = cond.rpartition(":=")
                keys = [n.strip() for n in names.split(",")] if names else []
                value = self._pipeline(expression.strip(), dot, variables)
                items = sorted(value.items()) if isinstance(value, dict) else list(enumerate(value or []))
                for key, item in items:
                    scope = dict(variables)
                    if len(keys) == 2:
                        scope[keys[0]], scope[keys[1]] = key, item
                    elif len(keys) == 1:
                        scope[keys[0]] = item
                    out.append(self._run(body, item, scope))
        return "".join(out)

    def _pipeline(self, text: str, dot: Any, variables: dict) -> Any:
        value: Any = _NOTHING
        for command in _split(text, "|"):
            words = _split(command.strip(), " ")
            args = [self._operand(word, dot, variables) for word in words[1:]]
            if value is not _NOTHING:
                args.append(value)
            value = self._call(words[0], args, dot, variables)
        return value

    def _call(self, word: str, args: list, dot: Any, variables: dict) -> Any:
        if word == "include":
            template, data = args
            tree = self.defines.get(template, self.trees.get(template))
            if tree is None:
                raise TemplateError(f"include of undefined template {template!r}")
            return self._run(tree, data, {"$": data})
        if word in FUNCTIONS:
            return FUNCTIONS[word](*args)
        if args:
            raise TemplateError(f"unknown function {word!r}")
        return self._operand(word, dot, variables)

    def _operand(self, word: str, dot: Any, variables: dict) -> Any:
        if word.startswith("(") and word.endswith(")"):
            return self._pipeline(word[1:-1], dot, variables)
        if word.startswith('"'):
            return word[1:-1].replace('\\"', '"')
        if re.fullmatch(r"-?\d+", word):
            return int(word)
        if word in ("true", "false"):
            return word == "true"
        if word.startswith("$"):
            head, _, path = word.partition(".")
            if head not in variables:
                raise TemplateError(f"undefined variable {head}")
            return _lookup(variables[head], path)
        if word.startswith("."):
            return _lookup(dot, word[1:])
        if word in FUNCTIONS:
            return FUNCTIONS[word]()
        raise TemplateError(f"cannot read {word!r}")


_NOTHING = object()


def _lookup(value: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _split(text: str, separator: str) -> list[str]:
    """Split on `separator` outside quotes and parentheses."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == '"' and not current.endswith("\\"):
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == separator and not quoted and depth == 0:
            if current.strip():
                parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _merge(base: dict, override: dict) -> dict:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def render_chart(overrides: list[Path]) -> dict[str, str]:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for path in overrides:
        _merge(values, yaml.safe_load(path.read_text()))
    base = f"{chart['name']}/templates"
    templates = {f"{base}/{p.name}": p.read_text() for p in sorted((CHART / "templates").iterdir())}
    renderer = Renderer(templates)
    dot = {
        "Values": values,
        "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]},
        "Release": {"Name": "eoffice", "Namespace": "default", "Revision": 1, "Service": "Helm"},
        "Template": {"BasePath": base},
    }
    return {name: renderer.render(name, dot) for name in templates if not name.split("/")[-1].startswith("_")}


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--print"]
    rendered = render_chart([Path(a) for a in args])
    kinds = []
    for name, text in rendered.items():
        for document in yaml.safe_load_all(text):
            if document is None:
                continue
            if not isinstance(document, dict) or not {"apiVersion", "kind", "metadata"} <= document.keys():
                raise TemplateError(f"{name}: not a Kubernetes manifest:\n{text}")
            kinds.append(f"{document['kind']}/{document['metadata']['name']}")
        if "--print" in sys.argv:
            print(f"---\n# Source: {name}\n{text.strip()}")
    print("rendered: " + ", ".join(kinds), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
