"""The version of docparse: the one place it is written.

The build reads it (``[tool.setuptools.dynamic] version`` in pyproject.toml), and so do
``docparse.__version__`` and ``docparse --version``. Raise it here, and add the release
to CHANGELOG.md.
"""

__version__ = "0.2.0"
