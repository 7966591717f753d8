"""Benchmarks: performance claims measured on the real corpora (run as python -m benchmarks.<name>)."""


def markdown_table(frame) -> str:  # type: ignore[no-untyped-def]
    """A pandas DataFrame as a GitHub markdown table (without the optional tabulate package)."""
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])
