"""``goalgraph validate``: check goal data against the rules and say what to fix."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from goalgraph.cli import _use_lang, app
from goalgraph.cli.sources import EndpointOption, StoreOption, graph_from

if TYPE_CHECKING:
    from goalgraph.graph import GoalGraph
    from goalgraph.validation import ValidationReport, ValidationResult

_FORMATS = ("text", "json", "turtle", "csv", "csv-excel")
_ENGINES = ("auto", "fast", "pyshacl")
_SEVERITIES = ("violation", "warning", "info", "never")
_STYLE = {"VIOLATION": "bold red", "WARNING": "yellow", "INFO": "cyan"}
# One finding per CSV row: the JSON fields people read first, then the ones tools need.
_CSV_COLUMNS = [
    "severity",
    "kommun_label",
    "organisation_label",
    "focus_label",
    "message",
    "value_label",
    "shape_name",
    "path",
    "focus_node",
    "value",
    "kommun",
    "organisation",
    "source_shape",
    "constraint_component",
    "where",
    "source_file",
    "source_sheet",
    "source_row",
    "source_column",
]
_MARK = {"VIOLATION": "✗", "WARNING": "!", "INFO": "i"}


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"use {', '.join(allowed)}", param_hint=option)
    return value


@app.command()
def validate(
    ctx: typer.Context,
    sources: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders with goal data (Turtle, JSON-LD, spreadsheets); "
            "not with --store or --endpoint."
        ),
    ] = None,
    shapes: Annotated[
        list[Path] | None,
        typer.Option("--shapes", help="Your own SHACL shapes file, added to the built-in rules."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the report: sv (default) or en.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (for people), json, turtle (SHACL report), or csv / csv-excel "
            "(one finding per row; csv-excel with ';' and BOM for Excel).",
        ),
    ] = "text",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit with 1 on findings of this severity or worse: violation, warning, info; "
            "never to always exit 0 after a report.",
        ),
    ] = "violation",
    engine: Annotated[
        str, typer.Option("--engine", help="auto (default), fast or pyshacl (the reference).")
    ] = "auto",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck",
            help="With --store: run the checks even if the store kept results for this "
            "content, shapes and engine.",
        ),
    ] = False,
    focus: Annotated[
        list[str] | None,
        typer.Option(
            "--focus",
            help="Only the findings about this item: its id (e.g. KFN-1), title or IRI, "
            "as trace takes a goal; repeatable.",
        ),
    ] = None,
) -> None:
    """Check goal data against goalgraph's rules: traceability, consistency, KS goals, follow-up.

    Exit code 0: nothing at or above --fail-on; 1: such findings, or no goal
    data at all in the input (a wrong path must not look like success); 2: the
    input or an option is wrong.
    """
    from goalgraph.i18n import default_lang
    from goalgraph.validation import Severity
    from goalgraph.validation import validate as run_validation

    _choice(output_format, _FORMATS, "--format")
    _choice(fail_on, _SEVERITIES, "--fail-on")
    _choice(engine, _ENGINES, "--engine")
    if lang is not None:
        _choice(lang, ("sv", "en"), "--lang")
        _use_lang(ctx, lang)  # input errors in the report's language too
    chosen = lang or default_lang()
    graph = graph_from(sources, store=store, endpoint=endpoint, shapes=shapes or ())
    nodes = None
    if focus:
        from goalgraph.item_names import resolve_items

        nodes = resolve_items(graph, focus)
    report = run_validation(
        graph,
        lang=chosen,
        engine=engine,  # type: ignore[arg-type]  # checked by _choice above
        extra_shapes=shapes or (),
        recheck=recheck,
        focus=nodes,
    )
    if output_format == "json":
        typer.echo(report.to_json())
    elif output_format == "turtle":
        typer.echo(report.to_graph().serialize(format="turtle"), nl=False)
    elif output_format in ("csv", "csv-excel"):
        import pandas as pd

        from goalgraph.cli.output import echo_csv

        rows = [result.to_dict() for result in report.results]
        echo_csv(pd.DataFrame(rows, columns=_CSV_COLUMNS), output_format)
    empty = not _has_goal_data(graph)
    if empty:
        given = sources or [store or Path(endpoint or "")]
        _warn_no_goal_data(given, chosen, to_stderr=output_format != "text")
    elif output_format == "text":
        _print_text(report)
    if fail_on != "never" and (empty or report.at_least(Severity.parse(fail_on))):
        raise typer.Exit(1)


# Any item of a goalgraph class in the user's data: without one there was nothing to check.
_GOAL_DATA = "ASK { ?item a ?class . FILTER(STRSTARTS(STR(?class), STR(gg:))) }"


def _has_goal_data(graph: GoalGraph) -> bool:
    return bool(graph.query(_GOAL_DATA, graphs=("data",)))


def _warn_no_goal_data(sources: list[Path], lang: str, *, to_stderr: bool) -> None:
    from rich.console import Console

    from goalgraph.i18n import message

    text = message("validation.no_goal_data", lang, sources=", ".join(map(str, sources)))
    Console(stderr=to_stderr, soft_wrap=True, highlight=False).print(f"[yellow]![/] {text}")


def _print_text(report: ValidationReport) -> None:
    from rich.console import Console

    from goalgraph.i18n import message

    console = Console(soft_wrap=True, highlight=False)
    lang = report.lang
    if report.conforms:
        console.print(f"[green]✓[/] {message('validation.conforms', lang)}")
        return
    # the lines are printed in one call: rich's cost is mostly per call (2,000 findings
    # took 0.7 s line by line)
    lines: list[str] = []
    by_kommun: dict[str, dict[str, list[ValidationResult]]] = {}
    for (kommun, organisation), results in report.by_organisation().items():
        by_kommun.setdefault(kommun, {})[organisation] = results
    for kommun, organisations in by_kommun.items():
        lines.append(f"[bold underline]{kommun or message('validation.no_kommun', lang)}[/]")
        for organisation, results in organisations.items():
            heading = organisation or message("validation.no_organisation", lang)
            lines.append(f"  [bold]{_escape(heading)}[/]")
            shared, single = _split_shared(results)
            items: dict[str, list[ValidationResult]] = {}
            for result in single:
                items.setdefault(_title(result), []).append(result)
            for title, findings in items.items():
                lines.append(f"    [bold]{_escape(title)}[/]")
                lines.extend("      " + _finding(result, lang) for result in findings)
            for findings in shared:
                count = message("validation.count", lang, count=len(findings))
                lines.append(f"    {_finding(findings[0], lang, value=False)} [bold]({count})[/]")
                names = "; ".join(_located(result) for result in findings[:_SHOWN])
                if len(findings) > _SHOWN:
                    names += " " + message("validation.more", lang, count=len(findings) - _SHOWN)
                lines.append(f"      [dim]{_escape(names)}[/]")
        lines.append("")
    console.print("\n".join(lines))
    console.print(report.summary())


# A finding shared by at least _SHARED items of one organisation is printed once, with a count
# and the first _SHOWN item names, so that 67 nyckeltal without a direction take two lines.
_SHARED = 4
_SHOWN = 5


def _split_shared(
    results: list[ValidationResult],
) -> tuple[list[list[ValidationResult]], list[ValidationResult]]:
    """Split *results* into groups of one finding shared by many items, and the rest."""
    groups: dict[tuple[str, str, str], list[ValidationResult]] = {}
    for result in results:
        key = (result.severity.name, result.message, str(result.source_shape))
        groups.setdefault(key, []).append(result)
    shared = [group for group in groups.values() if len(group) >= _SHARED]
    in_shared = {id(result) for group in shared for result in group}
    return shared, [result for result in results if id(result) not in in_shared]


def _finding(result: ValidationResult, lang: str, *, value: bool = True) -> str:
    """One finding as a rich line: severity mark, message and what it concerns."""
    from goalgraph.i18n import message

    name = result.severity.name
    line = (
        f"[{_STYLE[name]}]{_MARK[name]} {result.severity.label(lang)}:[/] {_escape(result.message)}"
    )
    concerns = _value_text(result) if value else None
    if concerns and concerns not in result.message:  # a message may quote its value ({$value})
        line += f" [dim]({_escape(message('validation.value', lang, value=concerns))})[/]"
    if value and result.where:  # the spreadsheet cell to fix, for data imported from one
        line += f" [dim]— {_escape(result.where)}[/]"
    return line


def _located(result: ValidationResult) -> str:
    """The item's name, with its sheet and row when it came from a spreadsheet."""
    return f"{_title(result)} ({result.where})" if result.where else _title(result)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _title(result: ValidationResult) -> str:
    if result.focus_label:
        return result.focus_label
    node = str(result.focus_node)
    return node.rstrip("/").rsplit("/", 1)[-1]


def _value_text(result: ValidationResult) -> str | None:
    if result.value is None or result.value == result.focus_node:
        return None
    if result.value_label:
        return result.value_label
    return str(result.value).rsplit("/", 1)[-1] if "://" in str(result.value) else str(result.value)
