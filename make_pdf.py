"""Entry point: `python make_pdf.py …` runs the same command line as the `pressroom` script."""

import sys

from pressroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
