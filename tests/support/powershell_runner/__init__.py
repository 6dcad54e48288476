"""A PowerShell runner for the tests: the generated PowerShell, executed.

Never part of the product. See README.md for what it models and what it refuses.
"""
