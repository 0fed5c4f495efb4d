"""General ledger: chart of accounts, fiscal periods, journal entries."""
