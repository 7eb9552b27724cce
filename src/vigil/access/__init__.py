"""Who is asking (members, actors, roles, tokens) and what they may see (``can_see``)."""
