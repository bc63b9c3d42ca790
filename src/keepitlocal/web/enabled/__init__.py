"""Enabled Contribution in the web app: an anchor's tenants, year by year, and shared results.

Every figure comes from the engine (`keepitlocal.enabled`): the database holds the survey
returns and overrides, `selectors.project_result` builds the engine's Project from them and
calls `calculate`, and the pages show `result_to_dict` of what it returns.
"""
