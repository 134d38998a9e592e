"""`python -m regionadmin`: the same program as the console script `regionadmin`."""

from regionadmin import entry

entry()
