"""Finance: open items (AR/AP sub-ledger), cash, period end (DESIGN.md section 5)."""
