"""The synthetic world: realistic multi-country data with ground truth."""
