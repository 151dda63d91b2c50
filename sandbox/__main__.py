"""`python -m sandbox` and the `dispute-sandbox` command."""

import gc
import os
import sys


def run() -> int:
    """Import the modules with the collector paused: importing only allocates, and collections
    while the modules load cost a tenth of a start. (The scenario build does the same.)

    numpy's OpenBLAS starts a thread per core at import, which spin for a while and cost about a
    quarter of a start's CPU (`bench/run.py`'s "CPU to that first 200"); the sandbox makes no BLAS
    call (its columns are plain arrays), so the server takes one, unless the user set their own.

    pydantic looks for plugins when it builds its first validator, reading the metadata of every
    installed distribution (about 0.5% of a start's instructions, more in a large environment); the
    server uses none, so it skips the search (pydantic's documented `PYDANTIC_DISABLE_PLUGINS`),
    unless the user set it themselves."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    try:
        from .cli import main
        from .providers import load_providers

        load_providers()  # the provider packages are half of the import time
    finally:
        gc.freeze()  # what the imports made lives for the whole run: later collections skip it
        gc.enable()
    return main()


if __name__ == "__main__":
    sys.exit(run())
