from mlpivot.catalog.graph import build_graph, find_cycle


def test_closure_and_order_respect_prerequisites() -> None:
    graph = build_graph({"c": ("b",), "b": ("a",), "a": (), "d": ("a",)})
    assert graph.closure(["c"]) == {"a", "b", "c"}
    order = graph.order
    assert order.index("a") < order.index("b") < order.index("c")
    assert graph.sort(["c", "a"]) == ["a", "c"]


def test_longest_chain_counts_hours_not_steps() -> None:
    graph = build_graph({"a": (), "b": ("a",), "c": ("b",), "x": (), "y": ("x",)})
    hours, chain = graph.longest_chain({"a": 1, "b": 1, "c": 1, "x": 10, "y": 5})
    assert (hours, chain) == (15, ("x", "y"))


def test_find_cycle_names_the_members() -> None:
    cycle = find_cycle({"a": ("b",), "b": ("c",), "c": ("a",), "d": ()})
    assert cycle is not None and set(cycle) >= {"a", "b", "c"}
    assert find_cycle({"a": (), "b": ("a",)}) is None
