"""Intelligence networks, secure messages and intelligence reports, with search and
subscriptions."""
