"""Progress goes to stderr: stdout carries only the `name<TAB>format<TAB>path` lines other tools parse."""
import sys


def log(message: str) -> None:
    print(f"[models:real] {message}", file=sys.stderr, flush=True)
