"""Run vakit as ``python -m vakit`` (the same entry point as the ``vakit`` command)."""

from vakit.cli.fast import main

if __name__ == "__main__":
    main()
