"""The ``vigil`` command line: each command parses, then calls one service function."""
