"""Optional integrations that need extra packages (`pip install dispute-sandbox[containers]`)."""
