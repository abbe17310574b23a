"""A stateful Microsoft Graph v1.0 emulator for integration tests.

It plays graph.microsoft.com and the Microsoft identity platform token endpoint on loopback,
following their public documentation; see ../README.md for what it covers and what it leaves out.
"""
