"""One spider per portal; ``country`` (or ``source``) is a spider argument."""
