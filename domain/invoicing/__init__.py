"""Invoicing: sales invoices (数电票, red-letter corrections) and purchase invoices
(three-way match, price differences)."""
