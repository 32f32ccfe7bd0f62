import sys

from gaisafe_desktop.cli.main import main

sys.exit(main())
