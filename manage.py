#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as error:
        # A database that cannot be reached is a setup problem, not a bug:
        # say which variable to fix instead of printing a traceback.
        from config.settings.env import database_error_message

        sys.exit(database_error_message(error))


if __name__ == "__main__":
    main()
