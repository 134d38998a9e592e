"""The store and the domain services. Nothing outside this package opens a transaction.

Import the submodules themselves (models.units, models.db …): the package imports nothing
on its own, so a command that needs little (regionadmin config) loads little.
"""
