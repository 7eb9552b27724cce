"""The demo: accounts for every role and (with the world generator) a synthetic world."""
