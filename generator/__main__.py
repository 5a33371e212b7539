"""`python -m generator` is the `broadsheet` command."""

import sys

from generator.cli import main

sys.exit(main())
