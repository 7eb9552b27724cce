"""Analysis: the traces networks leave (online ads, money transfers), linked across members."""
