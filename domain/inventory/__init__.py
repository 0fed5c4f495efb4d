"""Inventory: stock balances valued at moving weighted average (移动加权平均),
the pure valuation and posting rules, and the stock documents."""
