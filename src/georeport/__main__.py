"""``python -m georeport`` runs the command line."""

import sys

from georeport.cli import main

sys.exit(main())
