"""`python -m nnviz` works like the `nnviz` command."""

import sys

from nnviz.cli import main

sys.exit(main())
