"""Test-only helpers: code the tests share that the book itself never runs."""
