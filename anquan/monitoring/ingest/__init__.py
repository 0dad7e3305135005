"""How readings get in (issue #16, docs/adr/0040-monitoring-ingestion.md): `parse` decodes and checks a payload,
`store` writes the valid readings and calls the alarm evaluation in one transaction, `gateways` issues and checks
the gateways' keys, `mqtt` is the broker consumer (command `anquan ingest-mqtt`); the HTTP door is
`anquan/monitoring/api_ingest.py`."""
