"""Council self-assessment against the six Keep it Local principles, and network membership.

The figures come from keepitlocal.framework.assessment; this app stores who rated what and shows
the results. Mounted at /framework/assessment/.
"""
