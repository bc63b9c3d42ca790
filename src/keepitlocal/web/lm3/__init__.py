"""LM3 online: an organisation runs an LM3 exercise end to end, from naming the project to the
results, surveying its suppliers by e-mail on the way. Every figure comes from keepitlocal.lm3."""
