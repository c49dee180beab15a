"""Allow ``python -m graphbuild``."""

from graphbuild.cli import main

if __name__ == "__main__":
    main()
