"""A plugin module that fails at import (used through a fake distribution's entry point)."""

raise ImportError("this toy plugin cannot be imported")
