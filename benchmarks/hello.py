"""The baseline for the CLI start-up benchmark: a bare typer + rich hello world."""

import typer
from rich.console import Console

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = typer.Option("world", help="who to greet")) -> None:
    Console().print(f"Hello [bold]{name}[/bold]!")


if __name__ == "__main__":
    app()
