"""E-mailed survey links: one unguessable, expiring link per respondent, no account needed.

Any capability that asks outsiders a few questions (LM3 suppliers, Enabled Contribution tenants)
issues links here and resolves them in its own public view. See docs/lm3-online.md, section
"Survey links, for other capabilities".
"""
