"""Local spend analysis in the web app: ledgers and a register in, the engine's figures out."""
