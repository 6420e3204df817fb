"""Support tickets that escalate from the school to the block or district, the state and headquarters."""
