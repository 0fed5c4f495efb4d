"""Quality (质量管理): inspection plans and GB/T 2828.1 sampling, inspection
lots on receipt (IQC), operation report (IPQC) and completion (FQC),
nonconformance reports and their dispositions, the supplier and yield
records that feed purchasing and planning (docs/architecture.md, "Quality").
"""
