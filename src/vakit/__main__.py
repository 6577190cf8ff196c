"""Run vakit as ``python -m vakit``."""

from vakit.cli.app import main

if __name__ == "__main__":
    main()
