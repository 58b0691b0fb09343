"""A real OpenID Connect provider for the tests, built on django-oauth-toolkit.

It is a tiny Django project of its own (tests.oidc_provider.settings) that the tests start as a
separate process with `python -m tests.oidc_provider.serve`; see tests/oidc.py.
"""
