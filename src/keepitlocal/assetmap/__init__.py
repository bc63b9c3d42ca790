"""The VCSE asset map: the size, spread, deprivation and growth of an area's voluntary,
community and social enterprise sector, from the public registers. See docs/assetmap.md.

Plain Python: read the registers (`sources.read_all`), build an area's map (`build.build`), and
summarise one view (`summary.summarise`); money is Decimal throughout.
"""
