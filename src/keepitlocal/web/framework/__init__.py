"""Impact tracking with the resilience framework: plans, measurements, evidence, reports."""
