"""Test infrastructure: a live server in a child process, a tiny DOM for HTML, and helpers
shared by the API and browser tests."""
