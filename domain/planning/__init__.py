"""Planning: MRP with pegging, cost roll-up, monthly plan split and
finite-capacity scheduling. The algorithms are pure functions over snapshots
(domain/planning/model.py); use cases record runs and firm planned orders."""
