"""`python -m sandbox` and the `dispute-sandbox` command."""

import gc
import sys


def run() -> int:
    """Import the modules with the collector paused: importing only allocates, and collections
    while the modules load cost a tenth of a start. (The scenario build does the same.)"""
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
