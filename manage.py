#!/usr/bin/env python
"""Django's command-line utility; the installed `hazri` command does the same."""

from hazri.cli import main

if __name__ == "__main__":
    main()
