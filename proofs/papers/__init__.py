"""The built-in claims of the three papers, one module per topic.

Every module in this package is imported by the registry and its module-level
`Claim` objects are collected — exactly as a user's `--module` file is.
"""
