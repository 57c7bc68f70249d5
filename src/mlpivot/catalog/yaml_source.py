"""Reading YAML while remembering where every entry and field came from.

pydantic tells us *which* field is wrong; the node tree from PyYAML's composer tells us *which
line* it is on, so a person can open the file at the right place. PyYAML itself is imported
only when a file is read: a catalog answered from the cache needs `Location` and no parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class Location:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class RawEntry:
    """One entry of a section, as plain data, with the lines of the entry and its fields."""

    section: str
    data: Any
    location: Location
    node: yaml.Node

    def locate(self, loc: tuple[int | str, ...]) -> Location:
        """The line of a nested field, e.g. ('prerequisites', 2); the entry's line if unknown."""
        node: yaml.Node = self.node
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return Location(self.location.path, node.start_mark.line + 1)


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                found: yaml.Node = value
                return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


class YamlFileError(Exception):
    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        super().__init__(f"{location}: {message}")


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the values, from one pass of the parser.

    libyaml's parser where it is installed (it is in every wheel PyPI ships), the pure-Python
    one otherwise: the values are the same, libyaml reads the knowledge base ten times faster.
    """
    import yaml

    loader_class: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def read_entries(
    path: Path, shown_as: str, sections: frozenset[str], content: bytes | None = None
) -> list[RawEntry]:
    """Every entry of every known section in one file; raises YamlFileError on bad structure.

    `content` is the file's bytes when the caller has already read them (to hash them).
    """
    import yaml

    try:
        raw = path.read_bytes() if content is None else content
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(Location(shown_as, 1), f"not UTF-8 text ({exc.reason})") from exc
    try:
        root, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlFileError(Location(shown_as, line), f"invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        line = text.count("\n", 0, getattr(exc, "position", 0)) + 1
        raise YamlFileError(Location(shown_as, line), f"invalid YAML: {exc}") from exc
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise YamlFileError(
            Location(shown_as, root.start_mark.line + 1),
            f"expected a mapping of sections ({', '.join(sorted(sections))})",
        )
    entries: list[RawEntry] = []
    for key_node, value_node in root.value:
        section = key_node.value
        where = Location(shown_as, key_node.start_mark.line + 1)
        if section not in sections:
            known = ", ".join(sorted(sections))
            raise YamlFileError(where, f"unknown section '{section}' (known: {known})")
        items = data[section]
        if items is None:
            continue
        if not isinstance(value_node, yaml.SequenceNode) or not isinstance(items, list):
            raise YamlFileError(where, f"section '{section}' must be a list of entries")
        for item_node, item in zip(value_node.value, items, strict=True):
            location = Location(shown_as, item_node.start_mark.line + 1)
            entries.append(RawEntry(section, item, location, item_node))
    return entries
