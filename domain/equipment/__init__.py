"""Equipment (设备): the register, machine states and counts from GraphQL and
MQTT, OEE by ISO 22400-2 meanings, downtime, maintenance with spare parts,
and failures feeding spare-part safety stock (issue #14, docs/equipment.md).

``machines`` (the Equipment aggregate, plans, settings), ``oee`` (pure OEE,
Pareto and reliability rules), ``maintenance`` (maintenance orders and their
posting rules), ``ingestion`` (the MQTT contract and rejected messages),
``handlers`` / ``maintenance_handlers`` (the commands)."""
