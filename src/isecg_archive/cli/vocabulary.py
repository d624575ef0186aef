"""`vocab`: the agencies, topics and glossary detection uses."""

from __future__ import annotations

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    echo_csv,
    echo_json,
    output_options,
)


@cli.command()
@output_options
@click.pass_context
def vocab(ctx: click.Context, output: str) -> None:
    """List the agencies, related bodies, topics and search glossary in force.

    The package's vocabulary and glossary, extended by the archive's own vocabulary.toml and
    glossary.toml if it has them.

    \b
    Example:
        isecg-archive vocab --json
    """
    import dataclasses

    vocabulary = collection_of(ctx).vocabulary
    glossary = collection_of(ctx).glossary
    if output == "json":
        echo_json(
            {
                "sources": [*vocabulary.sources, *glossary.sources],
                **{
                    section: [dataclasses.asdict(entry) for entry in getattr(vocabulary, section)]
                    for section in ("agencies", "related", "topics")
                },
                "acronyms": {key: list(value) for key, value in glossary.acronyms.items()},
                "spellings": glossary.pairs,
            }
        )
        return
    if output == "csv":
        rows = [["agency", a.key, a.name, "; ".join(a.names[2:])] for a in vocabulary.agencies]
        rows += [["related", b.key, b.name, "; ".join(b.names[2:])] for b in vocabulary.related]
        rows += [
            ["topic", t.key, t.label, "; ".join((*t.strong, *t.signals))] for t in vocabulary.topics
        ]
        rows += [["acronym", k, "; ".join(v), ""] for k, v in glossary.acronyms.items()]
        rows += [
            ["spelling", british, american, ""] for british, american in glossary.pairs.items()
        ]
        echo_csv(["kind", "key", "name", "also"], rows)
        return
    click.echo("Read from " + "; ".join((*vocabulary.sources, *glossary.sources)))
    click.echo(f"\nAcronyms ({len(glossary.acronyms)}), each finding its expansions and back")
    for key, expansions in glossary.acronyms.items():
        click.echo(f"  {key:<10} {'; '.join(expansions)}")
    pairs = ", ".join(f"{b}/{a}" for b, a in glossary.pairs.items())
    click.echo(f"\nSpellings: -ise/-ize, -yse/-yze, -our/-or, -tre/-ter, -ence/-ense, and {pairs}")
    for title, bodies in (
        ("Agencies", vocabulary.agencies),
        ("Related bodies", vocabulary.related),
    ):
        click.echo(f"\n{title} ({len(bodies)})")
        for body in bodies:
            click.echo(f"  {body.key:<10} {body.name}")
            others = [n for n in body.names if n not in (body.key, body.name)]
            if others:
                click.echo(f"  {'':<10} also: {', '.join(others)}")
            if body.ambiguous:
                click.echo(
                    f"  {'':<10} {', '.join(body.ambiguous)} only beside:"
                    f" {', '.join(body.context)}, or in a list of agencies"
                )
    click.echo(f"\nTopics ({len(vocabulary.topics)})")
    for topic in vocabulary.topics:
        click.echo(f"  {topic.key:<28} {topic.label}")
        click.echo(f"  {'':<28} strong: {', '.join(topic.strong)}")
        click.echo(f"  {'':<28} signals: {', '.join(topic.signals)}")
