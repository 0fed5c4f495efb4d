"""Master data: items (物料) and warehouses (仓库) with their locations."""
