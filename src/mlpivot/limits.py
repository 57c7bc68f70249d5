"""Every bound mlpivot puts on what it reads from outside, and the readers that apply them.

A resume, a posting, a profile, a knowledge overlay or a data export may come from anybody (on a
cohort server, from a stranger). Each limit here is far above what a real file of that kind
needs and far below what would exhaust a laptop; an error names the file and the limit. This
module imports nothing of mlpivot but `errors`, so every layer (catalog to CLI) may use it;
PyYAML is imported only when YAML is read, to keep start-up cheap.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from mlpivot.errors import UserError

if TYPE_CHECKING:
    import yaml

MAX_DOCUMENT_BYTES = 10_000_000
"""A resume or a job posting file (PDF, DOCX, HTML, text, JSON Resume)."""

MAX_DATA_FILE_BYTES = 100_000_000
"""An `export data` file given to `import data` (it holds the text of every stored document)."""

MAX_PROFILE_BYTES = 1_000_000
"""A profile YAML/JSON file (`--profile`): a few hundred skills is under 20 kB."""

MAX_KNOWLEDGE_FILE_BYTES = 5_000_000
"""One YAML file of the knowledge base or of an overlay."""

MAX_HTML_CHARS = 5_000_000
"""A web page given as text (a posting pasted or fetched): larger pages are mostly scripts."""

MAX_PDF_PAGES = 50
"""A resume is 1-4 pages, a posting 1-3; a 500-page PDF is a book, not either."""

MAX_DOCX_UNCOMPRESSED_BYTES = 50_000_000
"""The sum of a DOCX's member sizes once unpacked, read from the zip directory before parsing."""

MAX_DOCX_RATIO = 200
"""Unpacked size over packed size per DOCX member; XML packs 5-20x, a zip bomb 1000x or more."""

MAX_DOCX_MEMBERS = 5_000
"""Members of one DOCX; Word writes a few dozen, plus one per embedded image."""

MAX_JSON_DEPTH = 64
"""Nesting of arrays and objects; real exports and JSON Resumes nest under 10 deep."""

MAX_YAML_NODES = 200_000
"""Nodes of a YAML file counted with every alias expanded (a billion-laughs file has 10^9)."""

MAX_YAML_DEPTH = 64
"""Nesting of YAML mappings and sequences."""

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def check_size(label: str, size: int, limit: int, what: str) -> None:
    """Refuse a file of `size` bytes over `limit`, before it is read."""
    if size > limit:
        raise UserError(
            f"{label}: the file is {size / 1_000_000:.1f} MB, over the {_megabytes(limit)} "
            f"limit for {what}"
        )


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text, counted without parsing (so no recursion)."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def load_json(text: str, label: str, error: type[UserError] = UserError) -> Any:
    """JSON from outside: nesting bounded before parsing, and a syntax error located."""
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise error(
            f"{label}: the JSON nests {depth} levels deep, over the limit of {MAX_JSON_DEPTH}"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{label}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:  # depth counted above; kept for a parser change under us
        raise error(f"{label}: the JSON nests too deep to read") from None


def check_yaml_node(root: yaml.Node | None, label: str) -> None:
    """Refuse a composed YAML document whose aliases expand past MAX_YAML_NODES or nest too deep.

    PyYAML shares an aliased node instead of copying it, so the load itself is cheap; anything
    that walks the result (validation, JSON storage, export) pays the full expansion. The count
    is memoised per node, so a billion-laughs file is measured in a few hundred steps.
    """
    import yaml

    if root is None:
        return
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    # Iterative post-order walk: a deep file must not blow Python's recursion limit here either.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not done:
            if key in on_path:  # a recursive alias (`&a [*a]`): infinite when expanded
                raise UserError(f"{label}: the YAML refers to itself through an alias")
            on_path.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        on_path.discard(key)
        sizes[key] = 1 + sum(sizes.get(id(c), 0) for c in children)
        depths[key] = 1 + max((depths.get(id(c), 0) for c in children), default=0)
        if depths[key] > MAX_YAML_DEPTH:
            raise UserError(
                f"{label}: the YAML nests more than {MAX_YAML_DEPTH} levels deep "
                f"(line {node.start_mark.line + 1})"
            )
        if sizes[key] > MAX_YAML_NODES:
            raise UserError(
                f"{label}: the YAML expands to more than {MAX_YAML_NODES:,} values through "
                f"its aliases (&anchor/*alias, line {node.start_mark.line + 1}); write the "
                "values out instead"
            )


def compose_yaml(text: str, label: str) -> yaml.Node | None:
    """The node tree of YAML text from outside, checked against the limits above.

    Syntax errors propagate as `yaml.MarkedYAMLError` for the caller to place; a nesting too
    deep for PyYAML's recursive composer becomes an error naming the file.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise UserError(f"{label}: the YAML nests more than {MAX_YAML_DEPTH} levels deep") from None
    check_yaml_node(root, label)
    return root


def load_yaml(text: str, label: str) -> Any:
    """YAML from outside as Python values, after `compose_yaml` has checked its size and depth."""
    return construct_yaml(compose_yaml(text, label), label)


def construct_yaml(root: yaml.Node | None, label: str) -> Any:
    """The Python values of a node tree from `compose_yaml` (what `yaml.safe_load` gives)."""
    import yaml

    if root is None:
        return None
    try:
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_document(root)
        finally:
            loader.dispose()
    except RecursionError:
        raise UserError(f"{label}: the YAML nests more than {MAX_YAML_DEPTH} levels deep") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2020-02-31
        raise UserError(f"{label}: a value in the YAML cannot be read ({exc})") from None
