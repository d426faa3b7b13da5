"""Charter YAML read safely: bounded in size and in expansion, every key written twice named,
and each place of the data traced back to its line.

A YAML alias (``*a``) repeats an anchored part (``&a``) without writing it again: fifty lines
can stand for millions of values. The text is therefore composed first (aliases are then shared
nodes, nothing is expanded), measured as it would be once expanded, and constructed only when
it stays within ``Limits``. Used for the template files and for the structured text a user
types in the charter editor's advanced mode.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Place = tuple[str | int, ...]

_YAML_PROBLEMS = {
    "mapping values are not allowed here":
        "deux-points inattendu (mettez le texte entre guillemets)",
    "could not find expected ':'": "deux-points attendu après une clé",
    "did not find expected key": "clé attendue (vérifiez l'indentation)",
    "did not find expected '-' indicator": "tiret de liste attendu (vérifiez l'indentation)",
    "expected <block end>": "indentation incohérente",
    "found character '\\t' that cannot start any token":
        "tabulation interdite (indentez avec des espaces)",
    "found unexpected end of stream":
        "fin de fichier inattendue (un guillemet n'est-il pas refermé ?)",
    "found undefined alias": "renvoi (*) vers une ancre (&) qui n'existe pas",
    "expected a single document": "un seul document YAML est attendu (retirez les « --- »)",
    "expected ',' or ']'": "virgule ou « ] » attendu (une liste entre crochets n'est pas refermée ?)",
    "expected ',' or '}'": "virgule ou « } » attendu (des accolades ne sont pas refermées ?)",
    "found unknown escape character": "caractère d'échappement inconnu après « \\ »",
    "found unexpected ':'": "deux-points inattendu (mettez le texte entre guillemets)",
}


@dataclass(frozen=True)
class Limits:
    """What a charter text may hold. The reference charter, whole, is about 50 000 characters
    and 2 500 values; one section typed in the editor is far less."""

    characters: int = 300_000
    aliases: int = 100
    values: int = 25_000  # scalars, lists and dictionaries, counted once expanded


LIMITS = Limits()


@dataclass(frozen=True)
class SourceProblem:
    """A problem of the text itself: its line (from 1, or None), its column and its words."""

    line: int | None
    column: int | None
    detail: str


@dataclass
class Source:
    """The parsed data, the node tree it came from (for line numbers) and the text's problems.
    ``data`` is None when the text could not be read."""

    data: Any = None
    root: yaml.Node | None = None
    problems: list[SourceProblem] = field(default_factory=list)

    def line(self, place: Place) -> int | None:
        """The line (from 1) where a place of the data is written; for a place that does not
        exist (a missing field), the line of the nearest part that does."""
        node, line = self.root, None
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in place:
            if isinstance(node, yaml.MappingNode):
                found = next(((key, value) for key, value in node.value
                              if isinstance(key, yaml.ScalarNode) and key.value == str(part)), None)
                if found is None:
                    return line
                node, line = found[1], found[0].start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                    and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


class _TooBig(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """Safe loader that counts aliases while composing and notes every key written twice."""

    def __init__(self, text: str, limits: Limits) -> None:
        super().__init__(text)
        self.limits = limits
        self.aliases = 0
        self.duplicates: list[SourceProblem] = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.aliases:
                raise _TooBig(
                    f"le texte utilise plus de {self.limits.aliases} renvois (*) vers des ancres "
                    "(&) : écrivez les parties répétées en toutes lettres.")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in seen:
                mark = key_node.start_mark
                self.duplicates.append(SourceProblem(
                    mark.line + 1, mark.column + 1,
                    f"clé « {key_node.value} » en double dans le même élément "
                    "(seule la dernière valeur serait lue)."))
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the node tree holds once its aliases are expanded (each shared node
    counted as often as it is used), without expanding it; stops past ``limit``."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in in_progress:  # a part that contains itself never ends
            return limit + 1
        in_progress.add(id(node))
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > limit:
                break
        in_progress.discard(id(node))
        sizes[id(node)] = total
        return total

    return size(root)


def parse(text: str | bytes, limits: Limits = LIMITS) -> Source:
    """Read a charter text within ``limits``; syntax errors, bounds and keys written twice are
    ``problems`` with their line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return Source(problems=[SourceProblem(None, None, (
                "le fichier n'est pas en UTF-8 "
                f"(octet illisible à la position {error.start + 1}) : enregistrez-le en UTF-8."))])
    if len(text) > limits.characters:
        return Source(problems=[SourceProblem(None, None, (
            f"le texte compte {_number(len(text))} caractères, au-delà des "
            f"{_number(limits.characters)} admis pour une charte."))])
    loader = _Loader(text, limits)
    try:
        root = loader.get_single_node()
        if root is not None and expanded_size(root, limits.values) > limits.values:
            raise _TooBig(
                f"une fois ses renvois (*) développés, le texte dépasserait "
                f"{_number(limits.values)} valeurs : écrivez les parties répétées en toutes "
                "lettres.")
        data = loader.construct_document(root) if root is not None else None
    except _TooBig as error:
        return Source(problems=[SourceProblem(None, None, str(error))])
    except yaml.YAMLError as error:
        return Source(problems=[syntax_problem(error)])
    except RecursionError:
        return Source(problems=[SourceProblem(None, None, "le texte est imbriqué trop profondément.")])
    finally:
        loader.dispose()
    return Source(data, root, list(loader.duplicates))


def _number(value: int) -> str:
    """« 25 000 », with a narrow no-break space."""
    return f"{value:,}".replace(",", "\u202f")


def syntax_problem(error: yaml.YAMLError) -> SourceProblem:
    """Line, column and French words of a YAML syntax error."""
    problem = getattr(error, "problem", None) or str(error)
    french = next((text for start, text in _YAML_PROBLEMS.items() if problem.startswith(start)),
                  None)
    mark = getattr(error, "problem_mark", None)
    detail = f"erreur de syntaxe YAML : {french or problem}."
    if mark is None:
        return SourceProblem(None, None, detail)
    return SourceProblem(mark.line + 1, mark.column + 1, detail)
