"""``python -m kbdoctor`` does what the ``kbdoctor`` command does."""

from kbdoctor.cli import main

raise SystemExit(main())
