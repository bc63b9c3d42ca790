"""The Keep it Local Economic Resilience Framework and the six Keep it Local principles."""
