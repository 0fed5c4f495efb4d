"""Production execution (MES) and actual costing: work orders, material
issue, operation reporting, completion and close."""
