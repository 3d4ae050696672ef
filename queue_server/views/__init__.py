"""Web screens (thin views over the engine)."""
