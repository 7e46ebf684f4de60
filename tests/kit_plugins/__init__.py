"""Deliberately broken toy plugins that the testing kit must catch (tests/test_testing_kit.py)."""
