"""The HTTP API: thin routers that parse, authenticate and call one service function."""
